package caravan.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.sql.DataSource;

/** Results in the {@code result} table; change detection compares with the item's latest content hash. */
public final class JdbcResultStore implements ResultStore {

    private final Jdbc jdbc;

    public JdbcResultStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public Outcome store(NewResult r, boolean skipUnchanged) {
        String hash = sha256(r.payload());
        String previous = jdbc.queryOne(
                "select content_hash from result where job_id = ? and item_key = ? order by id desc fetch first 1 rows only",
                rs -> rs.getString(1), r.jobId(), r.itemKey());
        Outcome outcome = previous == null ? Outcome.NEW : previous.equals(hash) ? Outcome.UNCHANGED : Outcome.CHANGED;
        if (outcome == Outcome.UNCHANGED && skipUnchanged) {
            return Outcome.SKIPPED_UNCHANGED;
        }
        jdbc.update("insert into result (job_id, run_id, item_key, payload, content_hash, fetched_at) values (?, ?, ?, ?, ?, ?)",
                r.jobId(), r.runId(), r.itemKey(), r.payload(), hash, r.fetchedAt());
        return outcome;
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
