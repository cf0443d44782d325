package caravan.runs;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in progress on this node, and which jobs are claimed by a fire (the no-overlap rule). */
public final class ActiveRuns {

    private final Map<String, ActiveRun> byRunId = new ConcurrentHashMap<>();
    private final Set<String> claimedJobs = ConcurrentHashMap.newKeySet();

    /** Claims the job for one fire; false when a fire of it is already in progress. */
    public boolean tryClaim(String jobId) {
        return claimedJobs.add(jobId);
    }

    public void release(String jobId) {
        claimedJobs.remove(jobId);
    }

    public boolean isRunning(String jobId) {
        return claimedJobs.contains(jobId);
    }

    public ActiveRun begin(JobRun run) {
        ActiveRun active = new ActiveRun(run, new RunCounts());
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
