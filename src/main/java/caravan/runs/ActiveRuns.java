package caravan.runs;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in progress on this node, and which jobs are claimed by a fire (the no-overlap rule). */
public final class ActiveRuns {

    private final Map<String, ActiveRun> byRunId = new ConcurrentHashMap<>();
    /** Runs whose end is being recorded: what they log meanwhile (a retry's items that did not come up) is theirs. */
    private final Map<String, ActiveRun> ending = new ConcurrentHashMap<>();
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

    /** A run without a timeout, retrying nothing, keeping no log. */
    public ActiveRun begin(JobRun run) {
        return begin(run, new RunCutoff(run.jobId(), run.runId(), null, System.nanoTime()), null, RunLog.NONE);
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

    /** No longer in progress; until {@link #forget}, its log still takes the lines of its ending. */
    public ActiveRun end(String runId) {
        ActiveRun run = byRunId.remove(runId);
        if (run != null) {
            ending.put(runId, run);
        }
        return run;
    }

    /** The run's log has been kept: it takes no more lines. */
    public void forget(String runId) {
        ending.remove(runId);
    }

    /** The run a line logged under its id belongs to: in progress, or ending and not yet forgotten; else null. */
    public ActiveRun logging(String runId) {
        ActiveRun run = get(runId);
        return run != null || runId == null ? run : ending.get(runId);
    }

    public Collection<ActiveRun> all() {
        return List.copyOf(byRunId.values());
    }

    /** The live run of a job, if any. */
    public ActiveRun ofJob(String jobId) {
        return byRunId.values().stream().filter(a -> a.run().jobId().equals(jobId)).findFirst().orElse(null);
    }
}
