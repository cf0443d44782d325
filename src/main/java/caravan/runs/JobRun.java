package caravan.runs;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code job_run}; {@code retryOf}: the run whose dead letters a retry run redoes, else null;
 * {@code params}: the parameters it was triggered with ({@link RunParams}), configured secrets masked, empty for none;
 * {@code afterRun}: for a run of a job chained after another, the run whose end triggered it, else null.
 */
public record JobRun(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
        Instant startedAt, Instant finishedAt, RunStatus status, int itemsTotal, int itemsFailed, int itemsChanged,
        String error, String retryOf, Map<String, String> params, String afterRun) {

    public JobRun {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A run that no other run's end triggered. */
    public JobRun(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt, Instant finishedAt, RunStatus status, int itemsTotal, int itemsFailed, int itemsChanged,
            String error, String retryOf, Map<String, String> params) {
        this(runId, jobId, trigger, scheduledAt, nodeId, startedAt, finishedAt, status, itemsTotal, itemsFailed,
                itemsChanged, error, retryOf, params, null);
    }

    /** A run without parameters. */
    public JobRun(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt, Instant finishedAt, RunStatus status, int itemsTotal, int itemsFailed, int itemsChanged,
            String error, String retryOf) {
        this(runId, jobId, trigger, scheduledAt, nodeId, startedAt, finishedAt, status, itemsTotal, itemsFailed,
                itemsChanged, error, retryOf, Map.of());
    }

    /** A run that retries nothing. */
    public JobRun(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt, Instant finishedAt, RunStatus status, int itemsTotal, int itemsFailed, int itemsChanged,
            String error) {
        this(runId, jobId, trigger, scheduledAt, nodeId, startedAt, finishedAt, status, itemsTotal, itemsFailed,
                itemsChanged, error, null);
    }

    /**
     * The run as a row of {@code job_run}, keyed by column name, times as ISO-8601 text: the shape the MBean's
     * {@code history} answers with and run notifications carry.
     */
    public Map<String, Object> row() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("job_id", jobId);
        m.put("trigger_type", trigger.dbName());
        m.put("status", status.dbName());
        m.put("scheduled_at", text(scheduledAt));
        m.put("started_at", text(startedAt));
        m.put("finished_at", text(finishedAt));
        m.put("node_id", nodeId);
        m.put("items_total", itemsTotal);
        m.put("items_failed", itemsFailed);
        m.put("items_changed", itemsChanged);
        m.put("error", error);
        m.put("retry_of", retryOf);
        m.put("params", params);
        m.put("after_run", afterRun);
        return m;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    public static JobRun started(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt) {
        return started(runId, jobId, trigger, scheduledAt, nodeId, startedAt, null, Map.of());
    }

    public static JobRun started(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt, String retryOf, Map<String, String> params) {
        return started(runId, jobId, trigger, scheduledAt, nodeId, startedAt, retryOf, params, null);
    }

    public static JobRun started(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt, String retryOf, Map<String, String> params, String afterRun) {
        return new JobRun(runId, jobId, trigger, scheduledAt, nodeId, startedAt, null, RunStatus.RUNNING, 0, 0, 0, null,
                retryOf, params, afterRun);
    }

    /** The run as it ended: the same run with its end, status, counts and error. */
    public JobRun ended(Instant finished, RunStatus endStatus, int total, int failed, int changed, String endError) {
        return new JobRun(runId, jobId, trigger, scheduledAt, nodeId, startedAt, finished, endStatus, total, failed,
                changed, endError, retryOf, params, afterRun);
    }
}
