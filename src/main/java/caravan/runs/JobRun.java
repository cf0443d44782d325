package caravan.runs;

import java.time.Instant;

/** One row of {@code job_run}. */
public record JobRun(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
        Instant startedAt, Instant finishedAt, RunStatus status, int itemsTotal, int itemsFailed, int itemsChanged,
        String error) {

    public static JobRun started(String runId, String jobId, TriggerType trigger, Instant scheduledAt, String nodeId,
            Instant startedAt) {
        return new JobRun(runId, jobId, trigger, scheduledAt, nodeId, startedAt, null, RunStatus.RUNNING, 0, 0, 0, null);
    }
}
