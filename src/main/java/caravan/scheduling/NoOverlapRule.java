package caravan.scheduling;

import caravan.config.Secrets;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RunHeaders;
import caravan.runs.RunParams;
import caravan.runs.RunRecorder;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Trigger;
import org.quartz.TriggerListener;
import org.quartz.JobDataMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job does not overlap itself: a fire while the previous run is still going is vetoed and recorded as
 * {@code skipped}. Quartz's own {@code stateful} option would queue the fire instead. In a cluster a run in progress
 * on another node counts too (a recovery run and the next cron fire landing on different nodes).
 */
public final class NoOverlapRule implements TriggerListener, JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(NoOverlapRule.class);
    private static final String CLAIMED = "caravan.claimedJob";

    private final JobRoutes jobs;
    private final ActiveRuns active;
    private final RunRepository runs;
    private final String nodeId;
    private final Clock clock;
    private final Secrets secrets;
    private final java.util.List<caravan.runs.RunListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Predicate<String> runningElsewhere = jobId -> false;
    private volatile java.util.function.Consumer<JobExecutionContext> busyRetries;
    private volatile java.util.function.Consumer<JobExecutionContext> busyChains;

    /** {@code secrets}: masked in the parameters recorded with a skipped run. */
    public NoOverlapRule(JobRoutes jobs, ActiveRuns active, RunRepository runs, String nodeId, Clock clock, Secrets secrets) {
        this.secrets = secrets;
        this.jobs = jobs;
        this.active = active;
        this.runs = runs;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Told of each skipped run. */
    public void addListener(caravan.runs.RunListener listener) {
        listeners.add(listener);
    }

    /** Where an automatic retry of dead letters goes when its job is running: it is fired again later, not skipped. */
    public void retryWhenFree(java.util.function.Consumer<JobExecutionContext> busyRetries) {
        this.busyRetries = busyRetries;
    }

    /** Where a chained run's fire that meets its job running goes to fire again later ({@link JobChains}). */
    public void chainWhenFree(java.util.function.Consumer<JobExecutionContext> busyChains) {
        this.busyChains = busyChains;
    }

    /** In a cluster: whether a run of the job is in progress on another node (then a fire here is skipped too). */
    public void checkOtherNodes(java.util.function.Predicate<String> runningElsewhere) {
        this.runningElsewhere = runningElsewhere;
    }

    @Override
    public String getName() {
        return "caravan-no-overlap";
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        Optional<String> jobId = jobs.jobIdOf(context.getJobDetail().getKey());
        if (jobId.isEmpty()) {
            return false;
        }
        if (active.tryClaim(jobId.get(), context.getJobInstance())) {
            if (!runningElsewhere.test(jobId.get())) {
                context.put(CLAIMED, jobId.get());
                return false;
            }
            active.release(jobId.get(), context.getJobInstance());
            if (!laterRetry(context)) {
                recordSkipped(jobId.get(), context, "previous run still in progress on another node");
            }
            return true;
        }
        if (isQueued(context)) {
            // A catch-up or backfill fire waits its turn in the fire queue instead of being lost as skipped.
            LOG.debug("Job {}: queued {} fire waits for the run in progress", jobId.get(),
                    context.getMergedJobDataMap().getString(RunHeaders.DATA_TRIGGER));
            return true;
        }
        if (!laterRetry(context)) {
            recordSkipped(jobId.get(), context, "previous run still in progress");
        }
        return true;
    }

    /**
     * An automatic retry of dead letters, or a chained run, waits for the run in progress: handed back to fire again
     * later.
     */
    private boolean laterRetry(JobExecutionContext context) {
        var retries = busyRetries;
        if (retries != null && DeadLetterRetries.isAutomatic(context)) {
            retries.accept(context);
            return true;
        }
        var chains = busyChains;
        if (chains != null && JobChains.isChained(context)) {
            chains.accept(context);
            return true;
        }
        return false;
    }

    /** Fires the fire queue made (catch-up, backfill): it fires them again when the job is free. */
    static boolean isQueued(JobExecutionContext context) {
        Object trigger = context.getMergedJobDataMap().get(RunHeaders.DATA_TRIGGER);
        return TriggerType.CATCHUP.dbName().equals(trigger) || TriggerType.BACKFILL.dbName().equals(trigger);
    }

    private void recordSkipped(String jobId, JobExecutionContext context, String error) {
        JobDataMap data = context.getMergedJobDataMap();
        String runId = data.containsKey(RunHeaders.DATA_RUN_ID) ? data.getString(RunHeaders.DATA_RUN_ID) : RunRecorder.newRunId();
        TriggerType trigger = data.containsKey(RunHeaders.DATA_TRIGGER)
                ? TriggerType.fromDb(data.getString(RunHeaders.DATA_TRIGGER)) : TriggerType.SCHEDULE;
        Instant now = clock.instant();
        Instant scheduledAt = data.containsKey(RunHeaders.DATA_FIRE_TIME) ? Instant.parse(data.getString(RunHeaders.DATA_FIRE_TIME))
                : context.getScheduledFireTime() != null ? context.getScheduledFireTime().toInstant() : now;
        try {
            JobRun skipped = new JobRun(runId, jobId, trigger, scheduledAt, nodeId, now, now, RunStatus.SKIPPED, 0, 0, 0, error,
                    data.getString(RunHeaders.DATA_RETRY_OF), RunParams.recorded(RunParams.of(data), secrets));
            runs.insert(skipped);
            listeners.forEach(l -> l.runEnded(skipped));
        } catch (RuntimeException e) {
            LOG.error("Cannot record skipped run of job {}: {}", jobId, e.getMessage());
        }
        LOG.info("Job {}: fire for {} skipped ({}); run {} recorded as skipped", jobId, scheduledAt, error, runId);
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        Object claimed = context.get(CLAIMED);
        if (claimed != null) {
            active.release(claimed.toString(), context.getJobInstance());
        }
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {
    }

    @Override
    public void triggerMisfired(Trigger trigger) {
    }

    @Override
    public void triggerComplete(Trigger trigger, JobExecutionContext context,
            Trigger.CompletedExecutionInstruction triggerInstructionCode) {
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
    }

    /** Another listener vetoed a fire this rule had let through: give the job back. */
    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
        Object claimed = context.get(CLAIMED);
        if (claimed != null) {
            active.release(claimed.toString(), context.getJobInstance());
        }
    }
}
