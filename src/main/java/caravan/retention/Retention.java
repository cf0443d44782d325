package caravan.retention;

import caravan.config.RetentionSettings;
import caravan.store.Jdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges history by each job's retention policy: finished runs older than {@code max-age} or beyond the newest
 * {@code max-runs}, and the results and dead letters of those runs (or older than {@code max-age}). The newest
 * result of each item is always kept, so change detection still has something to compare with. Runs in progress
 * are never touched.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** What one purge removed. */
    public record Purged(int runs, int results, int deadLetters) {

        Purged plus(Purged o) {
            return new Purged(runs + o.runs, results + o.results, deadLetters + o.deadLetters);
        }

        public boolean isEmpty() {
            return runs == 0 && results == 0 && deadLetters == 0;
        }
    }

    /** Each item's newest result stays, so change detection still has something to compare with. */
    private static final String NOT_NEWEST = " and id not in (select max(id) from result where job_id = ? group by item_key)";
    /** A row of a run no longer in {@code job_run}: purged. */
    private static final String RUN_GONE = " and run_id not in (select run_id from job_run where job_id = ?)";

    private final Jdbc jdbc;
    private final RetentionSettings settings;
    private final Clock clock;

    public Retention(DataSource dataSource, RetentionSettings settings, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.settings = settings;
        this.clock = clock;
    }

    /** Purges every job that has history; returns the totals. */
    public Purged purgeAll() {
        Purged total = new Purged(0, 0, 0);
        for (String jobId : jobsWithHistory()) {
            total = total.plus(purge(jobId));
        }
        if (!total.isEmpty()) {
            LOG.info("Retention purged {} run(s), {} result(s), {} dead letter(s)", total.runs(), total.results(), total.deadLetters());
        }
        return total;
    }

    public Purged purge(String jobId) {
        RetentionSettings.Policy policy = settings.forJob(jobId);
        if (policy.limitsNothing()) {
            return new Purged(0, 0, 0);
        }
        Instant cutoff = policy.maxAge().isZero() ? Instant.EPOCH : clock.instant().minus(policy.maxAge());
        int runs = jdbc.update("delete from job_run where job_id = ? and status <> 'running' and (started_at < ?"
                + (policy.maxRuns() > 0 ? " or run_id not in (select run_id from (select run_id from job_run where job_id = ?"
                        + " order by started_at desc, run_id desc fetch first " + policy.maxRuns() + " rows only) newest)" : "")
                + ")", policy.maxRuns() > 0 ? new Object[] {jobId, cutoff, jobId} : new Object[] {jobId, cutoff});
        // By age through the (job_id, fetched_at) and (job_id, failed_at) indexes: a purge that finds nothing old
        // reads nothing, where one query for both rules read every result of the job every time (half a second of
        // CPU for 40,000 results).
        int results = jdbc.update("delete from result where job_id = ? and fetched_at < ?" + NOT_NEWEST, jobId, cutoff, jobId);
        int deadLetters = jdbc.update("delete from dead_letter where job_id = ? and failed_at < ?", jobId, cutoff);
        if (runs > 0) {
            // Those of purged runs, whatever their age: this pass's, and an earlier pass's results that were then
            // their item's newest and have been replaced since.
            results += jdbc.update("delete from result where job_id = ?" + RUN_GONE + NOT_NEWEST, jobId, jobId, jobId);
            deadLetters += jdbc.update("delete from dead_letter where job_id = ?" + RUN_GONE, jobId, jobId);
            jdbc.update("delete from run_log where job_id = ?" + RUN_GONE, jobId, jobId);
        }
        return new Purged(runs, results, deadLetters);
    }

    private List<String> jobsWithHistory() {
        return jdbc.query("select distinct job_id from job_run union select distinct job_id from result"
                + " union select distinct job_id from dead_letter", rs -> rs.getString(1));
    }
}
