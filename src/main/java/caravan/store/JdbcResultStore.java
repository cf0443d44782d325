package caravan.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Results in the {@code result} table; change detection compares with the item's latest content hash. A batch is
 * stored in one transaction: one look-up of the latest hashes per job and a batched insert.
 */
public final class JdbcResultStore implements ResultStore {

    private static final String INSERT =
            "insert into result (job_id, run_id, item_key, payload, content_hash, fetched_at) values (?, ?, ?, ?, ?, ?)";
    /** Keys per look-up statement: well under every database's parameter limit. */
    private static final int KEYS_PER_LOOKUP = 200;

    private final DataSource dataSource;

    public JdbcResultStore(DataSource dataSource) {
        this.dataSource = dataSource;
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
                List<Outcome> outcomes = storeAll(c, batch);
                c.commit();
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

    private List<Outcome> storeAll(Connection c, List<Request> batch) throws SQLException {
        Map<String, String> latest = latestHashes(c, batch);
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            int rows = 0;
            for (Request request : batch) {
                NewResult r = request.result();
                String hash = sha256(r.payload());
                String previous = latest.get(key(r.jobId(), r.itemKey()));
                Outcome outcome = previous == null ? Outcome.NEW : previous.equals(hash) ? Outcome.UNCHANGED : Outcome.CHANGED;
                if (outcome == Outcome.UNCHANGED && request.skipUnchanged()) {
                    outcomes.add(Outcome.SKIPPED_UNCHANGED);
                    continue;
                }
                Jdbc.bind(insert, r.jobId(), r.runId(), r.itemKey(), r.payload(), hash, r.fetchedAt());
                insert.addBatch();
                rows++;
                // a later result of the same item in this batch compares with this one
                latest.put(key(r.jobId(), r.itemKey()), hash);
                outcomes.add(outcome);
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
        return outcomes;
    }

    /** The latest stored hash of every item in the batch, keyed by {@link #key}. */
    private static Map<String, String> latestHashes(Connection c, List<Request> batch) throws SQLException {
        Map<String, Set<String>> keysByJob = new LinkedHashMap<>();
        for (Request request : batch) {
            keysByJob.computeIfAbsent(request.result().jobId(), j -> new LinkedHashSet<>()).add(request.result().itemKey());
        }
        Map<String, String> latest = new HashMap<>();
        for (Map.Entry<String, Set<String>> job : keysByJob.entrySet()) {
            List<String> keys = new ArrayList<>(job.getValue());
            for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
                lookUp(c, job.getKey(), chunk, latest);
            }
        }
        return latest;
    }

    private static void lookUp(Connection c, String jobId, List<String> keys, Map<String, String> latest) throws SQLException {
        String sql = "select r.item_key, r.content_hash from result r where r.job_id = ? and r.item_key in ("
                + "?,".repeat(keys.size() - 1) + "?) and r.id = (select max(l.id) from result l"
                + " where l.job_id = r.job_id and l.item_key = r.item_key)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, jobId);
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(i + 2, keys.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    latest.put(key(jobId, rs.getString(1)), rs.getString(2));
                }
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
