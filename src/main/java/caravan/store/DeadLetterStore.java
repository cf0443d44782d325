package caravan.store;

import caravan.runs.ActiveRun;
import caravan.runs.JobRun;
import caravan.runs.RetryItems;
import caravan.runs.RunHeaders;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Items that exhausted their attempts or failed for good: one row each, never silently dropped. Texts longer than
 * their columns are cut (a key too long to be stored as a result must still be recordable as a dead letter).
 */
public final class DeadLetterStore implements RetryItems.Source {

    public record DeadLetter(String jobId, String runId, String itemKey, String endpoint, int attempts,
            Integer httpStatus, DeadLetterKind kind, String error, String payload, Instant failedAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

    private static final String LATER_KINDS = Arrays.stream(DeadLetterKind.values()).filter(DeadLetterKind::worthRetryingLater)
            .map(k -> "'" + k.column() + "'").collect(Collectors.joining(", "));

    private final Jdbc jdbc;

    public DeadLetterStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public void record(DeadLetter d) {
        jdbc.update("insert into dead_letter (job_id, run_id, item_key, endpoint, attempts, http_status, failure_kind, error,"
                        + " payload, failed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.jobId(), d.runId(), Jdbc.truncate(d.itemKey(), 2000), Jdbc.truncate(d.endpoint(), 2000), d.attempts(),
                d.httpStatus(), d.kind().column(), Jdbc.truncate(d.error(), 4000), d.payload(), d.failedAt());
    }

    /**
     * Records the run's dead letter, counts it in the run, and says so in the log: every way an item fails for good.
     * The line names the job and run whatever thread writes it (a reply's thread has no run in its MDC). An item whose
     * request was not sent because the run was cut off (its timeout, or cancelled) is logged at DEBUG: the run says it
     * once.
     */
    public void record(ActiveRun run, DeadLetter d) {
        record(d);
        run.counts().addDeadLetter(d.error());
        run.ended(d.itemKey());
        boolean cutOff = d.kind() == DeadLetterKind.CUT_OFF;
        if (cutOff ? !LOG.isDebugEnabled() : !LOG.isWarnEnabled()) {
            return;
        }
        String job = MDC.get(RunHeaders.MDC_JOB);
        String runId = MDC.get(RunHeaders.MDC_RUN);
        MDC.put(RunHeaders.MDC_JOB, d.jobId());
        MDC.put(RunHeaders.MDC_RUN, d.runId());
        try {
            String format = "Item {} dead-lettered after {} attempt(s){}: {}";
            Object[] args = {d.itemKey(), d.attempts(), d.httpStatus() == null ? "" : " (HTTP " + d.httpStatus() + ")", d.error()};
            if (cutOff) {
                LOG.debug(format, args);
            } else {
                LOG.warn(format, args);
            }
        } finally {
            restore(RunHeaders.MDC_JOB, job);
            restore(RunHeaders.MDC_RUN, runId);
        }
    }

    @Override
    public Set<String> deadLetterKeys(String runId, boolean later) {
        if (!later) {
            return new LinkedHashSet<>(jdbc.query("select distinct item_key from dead_letter where run_id = ?",
                    rs -> rs.getString(1), runId));
        }
        // a dead letter written before its kind was recorded has none: it is retried, as it was then
        return new LinkedHashSet<>(jdbc.query("select distinct item_key from dead_letter where run_id = ?"
                + " and (failure_kind is null or failure_kind in (" + LATER_KINDS + "))", rs -> rs.getString(1), runId));
    }

    /** Each item's newest dead letter in {@code retryOf}, copied into the retry run with no attempt and {@code error}. */
    @Override
    public void notRetried(JobRun retry, String retryOf, List<String> itemKeys, String error) {
        Instant now = Instant.now();
        for (String key : itemKeys) {
            jdbc.update("insert into dead_letter (job_id, run_id, item_key, endpoint, attempts, http_status, failure_kind,"
                    + " error, payload, failed_at) select job_id, ?, item_key, endpoint, 0, null, ?, ?, payload, ? from dead_letter"
                    + " where id = (select max(id) from dead_letter where run_id = ? and item_key = ?)",
                    retry.runId(), DeadLetterKind.NOT_RETRIED.column(), error, now, retryOf, key);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** A failure as a dead letter's error: its class and message. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "failed without an exception";
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
