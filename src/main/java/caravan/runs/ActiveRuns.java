package caravan.runs;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in progress on this node, and which jobs are claimed by a fire (the no-overlap rule). */
public final class ActiveRuns {

    private final Map<String, ActiveRun> byRunId = new ConcurrentHashMap<>();
    /** Job id to the fire holding it (Quartz's job instance of that fire). */
    private final Map<String, Object> claims = new ConcurrentHashMap<>();

    /** Claims the job for one fire; false when a fire of it is already in progress. */
    public boolean tryClaim(String jobId, Object fire) {
        return claims.putIfAbsent(jobId, fire) == null;
    }

    /**
     * Gives the job back, if that fire still holds it: the run's end releases it as soon as the run is recorded,
     * and Quartz's end of the fire releases it again later, when a next fire may already hold it.
     */
    public void release(String jobId, Object fire) {
        claims.remove(jobId, fire);
    }

    public boolean isRunning(String jobId) {
        return claims.containsKey(jobId);
    }

    /** A run without a timeout. */
    public ActiveRun begin(JobRun run) {
        return begin(run, new RunCutoff(run.jobId(), run.runId(), null, System.nanoTime()));
    }

    public ActiveRun begin(JobRun run, RunCutoff cutoff) {
        return begin(run, cutoff, null);
    }

    public ActiveRun begin(JobRun run, RunCutoff cutoff, RetryItems retry) {
        return begin(run, cutoff, retry, RunLog.NONE);
    }

    /** {@code retry}: the items a retry run redoes; null for any other run. {@code log}: where its log lines go. */
    public ActiveRun begin(JobRun run, RunCutoff cutoff, RetryItems retry, RunLog log) {
        ActiveRun active = new ActiveRun(run, new RunCounts(), cutoff, retry, log);
        byRunId.put(run.runId(), active);
        return active;
    }

    public ActiveRun get(String runId) {
        return runId == null ? null : byRunId.get(runId);
    }

    public ActiveRun end(String runId) {
        return byRunId.remove(runId);
    }

    public Collection<ActiveRun> all() {
        return List.copyOf(byRunId.values());
    }

    /** The live run of a job, if any. */
    public ActiveRun ofJob(String jobId) {
        return byRunId.values().stream().filter(a -> a.run().jobId().equals(jobId)).findFirst().orElse(null);
    }
}
