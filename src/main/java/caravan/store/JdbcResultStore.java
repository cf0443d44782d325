package caravan.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import caravan.http.Validators;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Results in the {@code result} table; change detection compares with the item's current content hash in
 * {@code result_latest}. A batch is stored in one transaction: a key lookup for each item's hash (unless cached), one
 * batched insert of the results, and a row of {@code result_latest} written only for an item that is new or changed.
 * A result's validators (a fetch step's ETag and Last-Modified) go to {@code fetch_validator} in the same transaction,
 * with the hash they came with: they are never durable without their content.
 */
public final class JdbcResultStore implements ResultStore {

    private static final String INSERT =
            "insert into result (job_id, run_id, item_key, payload, content_hash, fetched_at) values (?, ?, ?, ?, ?, ?)";
    private static final String LATEST = "select content_hash from result_latest where job_id = ? and item_key = ?";
    private static final String NEW_ITEM = "insert into result_latest (job_id, item_key, content_hash) values (?, ?, ?)";
    private static final String CHANGED_ITEM = "update result_latest set content_hash = ? where job_id = ? and item_key = ?";
    private static final String VALIDATED = "update fetch_validator set content_hash = ?, url = ?, etag = ?, last_modified = ?"
            + " where job_id = ? and item_key = ?";
    private static final String NEW_VALIDATED = "insert into fetch_validator (content_hash, url, etag, last_modified, job_id, item_key)"
            + " values (?, ?, ?, ?, ?, ?)";
    /** Validators count only with the content they came with: an item stored since by another step has none. */
    private static final String VALIDATORS = "select v.url, v.etag, v.last_modified from fetch_validator v join result_latest l"
            + " on l.job_id = v.job_id and l.item_key = v.item_key and l.content_hash = v.content_hash"
            + " where v.job_id = ? and v.item_key = ?";

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final LatestHashes cache;

    public JdbcResultStore(DataSource dataSource) {
        this(dataSource, 0);
    }

    /**
     * {@code hashCacheSize}: how many items' latest hashes to keep in memory (0: none). Only for a daemon that is its
     * jobs' only writer: results written by another process are not seen by the cache.
     */
    public JdbcResultStore(DataSource dataSource, int hashCacheSize) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.cache = new LatestHashes(hashCacheSize);
    }

    /** One result to store, and whether an unchanged one is skipped. */
    public record Request(NewResult result, boolean skipUnchanged) {
    }

    @Override
    public Outcome store(NewResult r, boolean skipUnchanged) {
        return storeAll(List.of(new Request(r, skipUnchanged))).get(0);
    }

    /** Stores the batch in one transaction; the outcomes are in the order of the requests. Committed when it returns. */
    public List<Outcome> storeAll(List<Request> batch) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Map<String, String> latest = new HashMap<>();
                List<Outcome> outcomes = storeAll(c, batch, latest);
                c.commit();
                cache.committed(latest);
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException(INSERT, e);
        }
    }

    /** Fills {@code latest} with each item's latest hash as of the end of the batch (for the cache, once committed). */
    private List<Outcome> storeAll(Connection c, List<Request> batch, Map<String, String> latest) throws SQLException {
        latestHashes(c, batch, latest);
        Map<String, Change> changed = new HashMap<>();
        Map<String, Validated> validated = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            int rows = 0;
            for (Request request : batch) {
                NewResult r = request.result();
                String key = key(r.jobId(), r.itemKey());
                String hash = sha256(r.payload());
                String previous = latest.get(key);
                Outcome outcome = previous == null ? Outcome.NEW : previous.equals(hash) ? Outcome.UNCHANGED : Outcome.CHANGED;
                if (r.validators() != null) {
                    validated.put(key, new Validated(r, hash)); // a later reply of the item in the batch wins
                }
                if (outcome == Outcome.UNCHANGED && request.skipUnchanged()) {
                    outcomes.add(Outcome.SKIPPED_UNCHANGED);
                    continue;
                }
                Jdbc.bind(insert, r.jobId(), r.runId(), r.itemKey(), r.payload(), hash, r.fetchedAt());
                insert.addBatch();
                rows++;
                // a later result of the same item in this batch compares with this one
                latest.put(key, hash);
                if (outcome != Outcome.UNCHANGED) {
                    // the item's first change in the batch tells whether result_latest had a row for it
                    changed.putIfAbsent(key, new Change(r, outcome == Outcome.NEW));
                }
                outcomes.add(outcome);
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
        if (!changed.isEmpty()) {
            writeLatest(c, changed, latest);
        }
        if (!validated.isEmpty()) {
            writeValidators(c, validated.values());
        }
        return outcomes;
    }

    /** A result's validators and the hash of the content they came with. */
    private record Validated(NewResult result, String hash) {
    }

    /** Each item's validators, updated in place, or inserted for an item that had none. */
    private static void writeValidators(Connection c, Collection<Validated> validated) throws SQLException {
        List<Validated> missing = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement(VALIDATED)) {
            List<Validated> order = new ArrayList<>(validated);
            for (Validated v : order) {
                bindValidators(update, v);
                update.addBatch();
            }
            int[] counts = update.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    missing.add(order.get(i));
                }
            }
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement insert = c.prepareStatement(NEW_VALIDATED)) {
                for (Validated v : missing) {
                    bindValidators(insert, v);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private static void bindValidators(PreparedStatement ps, Validated v) throws SQLException {
        NewResult r = v.result();
        Jdbc.bind(ps, v.hash(), r.validators().url(), r.validators().etag(), r.validators().lastModified(), r.jobId(),
                r.itemKey());
    }

    @Override
    public boolean remembersValidators(String jobId) {
        return !jdbc.query("select 1 from fetch_validator where job_id = ? fetch first 1 rows only",
                rs -> 1, jobId).isEmpty();
    }

    @Override
    public Validators validators(String jobId, String itemKey) {
        List<Validators> found = jdbc.query(VALIDATORS,
                rs -> new Validators(rs.getString(1), rs.getString(2), rs.getString(3)), jobId, itemKey);
        return found.isEmpty() ? null : found.get(0);
    }

    /** An item new or changed in a batch: {@code isNew} when {@code result_latest} had no row for it before the batch. */
    private record Change(NewResult result, boolean isNew) {
    }

    /** The new and changed items' hashes in {@code result_latest}: inserted for an item it did not have, else updated. */
    private static void writeLatest(Connection c, Map<String, Change> changed, Map<String, String> latest) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(NEW_ITEM); PreparedStatement update = c.prepareStatement(CHANGED_ITEM)) {
            boolean inserts = false;
            boolean updates = false;
            for (Map.Entry<String, Change> e : changed.entrySet()) {
                NewResult r = e.getValue().result();
                String hash = latest.get(e.getKey());
                if (e.getValue().isNew()) {
                    Jdbc.bind(insert, r.jobId(), r.itemKey(), hash);
                    insert.addBatch();
                    inserts = true;
                } else {
                    Jdbc.bind(update, hash, r.jobId(), r.itemKey());
                    update.addBatch();
                    updates = true;
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        }
    }

    /**
     * The latest stored hash of every item in the batch, keyed by {@link #key}: from the cache, else one prepared point
     * query per item on the batch's connection, each a primary key seek on {@code result_latest}.
     */
    private void latestHashes(Connection c, List<Request> batch, Map<String, String> latest) throws SQLException {
        PreparedStatement ps = null;
        try {
            for (Request request : batch) {
                NewResult r = request.result();
                String key = key(r.jobId(), r.itemKey());
                if (latest.containsKey(key)) {
                    continue;
                }
                String cached = cache.get(key);
                if (cached != null) {
                    latest.put(key, cached);
                    continue;
                }
                if (ps == null) {
                    ps = c.prepareStatement(LATEST);
                }
                ps.setString(1, r.jobId());
                ps.setString(2, r.itemKey());
                try (ResultSet rs = ps.executeQuery()) {
                    latest.put(key, rs.next() ? rs.getString(1) : null);
                }
            }
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    private static String key(String jobId, String itemKey) {
        return jobId + '\n' + itemKey;
    }

    static String sha256(String payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] bytes = digest.digest((payload == null ? "" : payload).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
