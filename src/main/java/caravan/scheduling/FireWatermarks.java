package caravan.scheduling;

import caravan.store.Jdbc;
import caravan.store.StoreException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The {@code job_fire_watermark} table: per job, the latest scheduled fire time that was run or deliberately passed
 * over. Moving it forward is a compare-and-set, so a slot is claimed once even when a late Quartz fire and a
 * catch-up race for it.
 */
public final class FireWatermarks {

    private final Jdbc jdbc;

    public FireWatermarks(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public Instant last(String jobId) {
        return jdbc.queryOne("select last_fire_at from job_fire_watermark where job_id = ?",
                rs -> Jdbc.instant(rs, "last_fire_at"), jobId);
    }

    /** Starts the job's watermark at {@code at} when it has none (a job seen for the first time missed nothing). */
    public void startIfAbsent(String jobId, Instant at) {
        if (last(jobId) == null) {
            try {
                jdbc.update("insert into job_fire_watermark (job_id, last_fire_at, updated_at) values (?, ?, ?)", jobId, at, at);
            } catch (StoreException e) {
                if (last(jobId) == null) {
                    throw e;
                }
            }
        }
    }

    /** Claims the slot {@code fire}: true when the watermark was before it (and now is at it). */
    public boolean claim(String jobId, Instant fire, Instant now) {
        int n = jdbc.update("update job_fire_watermark set last_fire_at = ?, updated_at = ? where job_id = ? and last_fire_at < ?",
                fire, now, jobId, fire);
        if (n == 1) {
            return true;
        }
        if (last(jobId) == null) {
            startIfAbsent(jobId, fire);
            return true;
        }
        return false;
    }

    /** Moves the watermark from {@code expected} to {@code fire}; false when another fire moved it meanwhile. */
    public boolean move(String jobId, Instant expected, Instant fire, Instant now) {
        return jdbc.update("update job_fire_watermark set last_fire_at = ?, updated_at = ? where job_id = ? and last_fire_at = ?",
                fire, now, jobId, expected) == 1;
    }
}
