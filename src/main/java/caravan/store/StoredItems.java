package caravan.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads what a run stored and what it dead-lettered (and its dead letters by kind, for the metrics too), for
 * operators looking while the daemon runs (with the embedded
 * H2 no other process may open the database). By run, newest first: {@code result_by_run} and
 * {@code dead_letter_by_run} make that an index lookup however large the tables grow.
 */
public final class StoredItems {

    /** Rows per call at most: a reply crosses JMX whole. */
    public static final int MAX_ROWS = 1000;

    private final Jdbc jdbc;

    public StoredItems(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** The run's results, newest first: id, item_key, content_hash, fetched_at, payload. */
    public List<Map<String, Object>> results(String runId, int limit) {
        return jdbc.query("select id, item_key, content_hash, fetched_at, payload from result where run_id = ?"
                + " order by id desc fetch first " + rows(limit) + " rows only", rs -> resultRow(rs, false), runId);
    }

    /** A row of {@code result} as the MBean answers it, with its run when {@code withRun}. */
    private static Map<String, Object> resultRow(ResultSet rs, boolean withRun) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("item_key", rs.getString("item_key"));
        m.put("content_hash", rs.getString("content_hash"));
        m.put("fetched_at", text(rs, "fetched_at"));
        if (withRun) {
            m.put("run_id", rs.getString("run_id"));
        }
        m.put("payload", rs.getString("payload"));
        return m;
    }

    /** How many items of the job have a result: each one's current content is its newest result. */
    public long itemCount(String jobId) {
        return jdbc.queryOne("select count(*) from result_latest where job_id = ?", rs -> rs.getLong(1), jobId);
    }

    /**
     * Each item's current content, its newest result, by item key from the first one after {@code afterKey} (null:
     * from the first): id, item_key, content_hash, fetched_at, payload, run_id. The page's items come from
     * {@code result_latest} by its key; their newest results from one pass over the job's results.
     */
    public List<Map<String, Object>> latest(String jobId, String afterKey, int limit) {
        List<String> keys = jdbc.query("select item_key from result_latest where job_id = ? and item_key > ?"
                + " order by item_key fetch first " + rows(limit) + " rows only", rs -> rs.getString(1),
                jobId, afterKey == null ? "" : afterKey);
        if (keys.isEmpty()) {
            return List.of();
        }
        Object[] params = new Object[keys.size() + 1];
        params[0] = jobId;
        for (int i = 0; i < keys.size(); i++) {
            params[i + 1] = keys.get(i);
        }
        return jdbc.query("select r.id, r.item_key, r.content_hash, r.fetched_at, r.payload, r.run_id from result r"
                + " join (select max(id) as id from result where job_id = ? and item_key in (" + Jdbc.placeholders(keys.size())
                + ") group by item_key) n"
                + " on r.id = n.id order by r.item_key", rs -> resultRow(rs, true), params);
    }

    /**
     * The run's dead letters, newest first: id, item_key, endpoint, attempts, http_status, failure_kind, error,
     * failed_at, payload. {@code kind}: only those of that kind; null for all.
     */
    public List<Map<String, Object>> deadLetters(String runId, int limit, DeadLetterKind kind) {
        Object[] params = kind == null ? new Object[] {runId} : new Object[] {runId, kind.column()};
        return jdbc.query("select id, item_key, endpoint, attempts, http_status, failure_kind, error, failed_at, payload"
                + " from dead_letter where run_id = ?" + (kind == null ? "" : " and failure_kind = ?")
                + " order by id desc fetch first " + rows(limit) + " rows only", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getLong("id"));
                    m.put("item_key", rs.getString("item_key"));
                    m.put("endpoint", rs.getString("endpoint"));
                    m.put("attempts", rs.getInt("attempts"));
                    m.put("http_status", Jdbc.nullableInt(rs, "http_status"));
                    m.put("failure_kind", rs.getString("failure_kind"));
                    m.put("error", rs.getString("error"));
                    m.put("failed_at", text(rs, "failed_at"));
                    m.put("payload", rs.getString("payload"));
                    return m;
                }, params);
    }

    /** The run's dead letters by {@code failure_kind}; a dead letter recorded before kinds were has none and is left out. */
    public Map<DeadLetterKind, Integer> countByKind(String runId) {
        Map<DeadLetterKind, Integer> counts = new EnumMap<>(DeadLetterKind.class);
        jdbc.query("select failure_kind, count(*) from dead_letter where run_id = ? and failure_kind is not null"
                + " group by failure_kind", rs -> Map.entry(DeadLetterKind.fromColumn(rs.getString(1)),
                rs.getInt(2)), runId).forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** A limit asked for, as rows to read: from 1 to {@link #MAX_ROWS}. */
    public static int rows(int limit) {
        return Math.min(Math.max(1, limit), MAX_ROWS);
    }

    private static String text(ResultSet rs, String column) throws SQLException {
        var at = Jdbc.instant(rs, column);
        return at == null ? null : at.toString();
    }
}
