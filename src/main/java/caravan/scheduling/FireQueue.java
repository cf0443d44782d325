package caravan.scheduling;

import caravan.runs.ActiveRuns;
import caravan.runs.RunHeaders;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Caravan's own fires of a job (catch-up, backfill) one after the other: the next is handed to Quartz when
 * the job's previous run has ended, so the no-overlap rule never skips them. A scheduled fire that comes while
 * they run is skipped by that rule, as any overlapping fire.
 */
public final class FireQueue implements JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(FireQueue.class);

    private final JobRoutes jobs;
    private final Scheduler scheduler;
    private final ActiveRuns active;
    private final Map<String, Deque<PlannedFire>> pending = new HashMap<>();
    private final Map<String, PlannedFire> inFlight = new HashMap<>();

    public FireQueue(JobRoutes jobs, Scheduler scheduler, ActiveRuns active) {
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.active = active;
    }

    @Override
    public String getName() {
        return "caravan-fire-queue";
    }

    public synchronized void enqueue(String jobId, List<PlannedFire> fires) {
        pending.computeIfAbsent(jobId, k -> new ArrayDeque<>()).addAll(fires);
        if (!active.isRunning(jobId)) {
            dispatch(jobId);
        }
    }

    /** Fires not yet handed to Quartz. */
    public synchronized int pending(String jobId) {
        Deque<PlannedFire> q = pending.get(jobId);
        return (q == null ? 0 : q.size()) + (inFlight.containsKey(jobId) ? 1 : 0);
    }

    private void dispatch(String jobId) {
        if (inFlight.containsKey(jobId)) {
            return;
        }
        Deque<PlannedFire> q = pending.get(jobId);
        PlannedFire next = q == null ? null : q.pollFirst();
        if (next == null) {
            pending.remove(jobId);
            return;
        }
        var job = jobs.byId(jobId);
        if (job.isEmpty()) {
            LOG.warn("Job {} is no longer loaded: {} queued {} fire(s) dropped", jobId, q.size() + 1, next.trigger().dbName());
            pending.remove(jobId);
            return;
        }
        try {
            scheduler.triggerJob(job.get().jobKey(), next.data());
            inFlight.put(jobId, next);
        } catch (SchedulerException e) {
            LOG.error("Job {}: cannot fire the {} run for {}: {}", jobId, next.trigger().dbName(), next.fireTime(), e.getMessage());
            dispatch(jobId);
        }
    }

    private synchronized void ended(JobExecutionContext context, boolean vetoed) {
        if (inFlight.isEmpty() && pending.isEmpty()) {
            return; // nothing queued, as on almost every fire
        }
        jobs.jobIdOf(context.getJobDetail().getKey()).ifPresent(jobId -> {
            Object runId = context.getMergedJobDataMap().get(RunHeaders.DATA_RUN_ID);
            PlannedFire fire = inFlight.get(jobId);
            if (fire != null && fire.runId().equals(runId)) {
                inFlight.remove(jobId);
                if (vetoed && NoOverlapRule.isQueued(context)) {
                    // another fire of the job held it: this one goes back to the head of the queue
                    pending.computeIfAbsent(jobId, k -> new ArrayDeque<>()).addFirst(fire);
                }
            }
            if (!active.isRunning(jobId)) {
                dispatch(jobId);
            }
        });
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        ended(context, false);
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
        ended(context, true);
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
    }
}
