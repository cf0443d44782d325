package caravan.scheduling;

import caravan.config.Secrets;
import caravan.runs.JobRun;
import caravan.runs.RetryItems;
import caravan.runs.RunHeaders;
import caravan.runs.RunListener;
import caravan.runs.RunParams;
import caravan.runs.RunRecorder;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a run's dead letters on their own, some time after the run ended: a job with {@code retryDeadLetters=30m}
 * (or {@code caravan.retry-dead-letters}) gets a retry run half an hour after a run that dead-lettered items, and
 * another after that retry if items still fail, up to {@code retryDeadLettersMax} retries in a row. Each is a one-off
 * Quartz trigger in the job store, so it survives a restart and, in a cluster, any node may run it. One that comes
 * while its job runs waits for the run to end; one that comes while its job is paused is recorded as {@code skipped}.
 */
public final class DeadLetterRetries extends TriggerListenerSupport implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRetries.class);
    static final String TRIGGER_GROUP = "caravan-retry";
    /** How many times a retry was fired again: waiting for its job's route at start, or for the job's run in progress. */
    private static final String DATA_WAITS = "caravan.retryWaits";
    private static final Duration BUSY_WAIT = Duration.ofSeconds(5);
    private static final int BUSY_WAITS = 720;

    private final JobRoutes jobs;
    private final JobQuartzComponent quartz;
    private final RunRepository runs;
    private final RetryItems.Source deadLetters;
    private final PauseStore pauses;
    private final String nodeId;
    private final Clock clock;
    private final OneOffFires fires;

    public DeadLetterRetries(JobRoutes jobs, JobQuartzComponent quartz, Scheduler scheduler, RunRepository runs,
            RetryItems.Source deadLetters, PauseStore pauses, String nodeId, Clock clock) {
        this.jobs = jobs;
        this.quartz = quartz;
        this.runs = runs;
        this.deadLetters = deadLetters;
        this.pauses = pauses;
        this.nodeId = nodeId;
        this.clock = clock;
        this.fires = new OneOffFires(scheduler, TRIGGER_GROUP, DATA_WAITS, clock);
    }

    /**
     * The fire data of a run that retries {@code retried}'s dead letters, with the parameters it was triggered with:
     * a job whose items come from a parameter must meet the same items again.
     */
    static JobDataMap fireData(String runId, JobRun retried, Instant fireTime) {
        List<String> secret = retried.params().entrySet().stream().filter(p -> p.getValue().contains(Secrets.MASK))
                .map(Map.Entry::getKey).toList();
        if (!secret.isEmpty()) {
            throw new IllegalStateException("Run " + retried.runId() + " was triggered with parameter(s) " + secret
                    + " holding a configured secret, which is not recorded: trigger job " + retried.jobId()
                    + " again with its parameters instead");
        }
        JobDataMap data = new PlannedFire(runId, TriggerType.RETRY, fireTime).data();
        data.put(RunHeaders.DATA_RETRY_OF, retried.runId());
        RunParams.into(data, retried.params());
        return data;
    }

    @Override
    public void runEnded(JobRun run) {
        if (run.itemsFailed() == 0 || (run.status() != RunStatus.PARTIAL && run.status() != RunStatus.FAILED)) {
            return;
        }
        Optional<JobRoutes.JobRoute> job = jobs.byId(run.jobId());
        if (job.isEmpty()) {
            return;
        }
        JobQuartzComponent.JobOptions options = quartz.options(job.get().endpoint().getTriggerKey());
        Duration after = options.retryDeadLetters();
        if (after.isZero()) {
            return;
        }
        try {
            int round = retriesInARow(run, options.retryDeadLettersMax());
            if (round >= options.retryDeadLettersMax()) {
                LOG.info("Job {}: run {} still has {} dead letter(s) after {} retries in a row; no more automatic retries"
                        + " (caravan retry {} redoes them)", run.jobId(), run.runId(), run.itemsFailed(), round, run.jobId());
                return;
            }
            int items = deadLetters.deadLetterKeys(run.runId(), true).size();
            if (items == 0) {
                LOG.info("Job {}: the dead letters of run {} are answers that will not change (4xx) or items that no"
                        + " longer came up; not retried on their own", run.jobId(), run.runId());
                return;
            }
            Instant at = (run.finishedAt() == null ? clock.instant() : run.finishedAt()).plus(after);
            String retryRun = RunRecorder.newRunId();
            JobDataMap data = fireData(retryRun, run, at);
            data.put(RunHeaders.DATA_RETRY_AUTOMATIC, "true");
            fires.schedule(retryRun, job.get().jobKey(), data, at);
            LOG.info("Job {}: {} dead letter(s) of run {} are retried at {} by run {} (automatic retry {} of {})",
                    run.jobId(), items, run.runId(), at, retryRun, round + 1, options.retryDeadLettersMax());
        } catch (SchedulerException | RuntimeException e) {
            LOG.warn("Job {}: cannot schedule the retry of the dead letters of run {} ({}); retry them with 'caravan retry {}'",
                    run.jobId(), run.runId(), e.getMessage(), run.jobId());
        }
    }

    /** How many retries led to this run: it, the run it retried, and so on back, up to {@code max}. */
    private int retriesInARow(JobRun run, int max) {
        int row = 0;
        for (JobRun r = run; r != null && r.retryOf() != null && row < max; r = runs.find(r.retryOf())) {
            row++;
        }
        return row;
    }

    @Override
    public String getName() {
        return "caravan-dead-letter-retries";
    }

    /**
     * An automatic retry of a paused job does not run: pausing a job stops what it does on its own. One that comes
     * before its job's route is loaded (due while the daemon was down, it fires as the scheduler starts, before the
     * route files are read) waits for it.
     */
    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        if (!data.containsKey(RunHeaders.DATA_RETRY_AUTOMATIC)) {
            return false;
        }
        Optional<String> jobId = jobs.jobIdOf(context.getJobDetail().getKey());
        if (jobId.isEmpty()) {
            waitForRoute(trigger, data);
            return true;
        }
        if (!pauses.isPaused(jobId.get())) {
            return false;
        }
        Instant now = clock.instant();
        String error = "the job is paused: the automatic retry of the dead letters of run "
                + data.getString(RunHeaders.DATA_RETRY_OF) + " did not run (caravan retry " + jobId.get() + " redoes them)";
        try {
            runs.insert(new JobRun(data.getString(RunHeaders.DATA_RUN_ID), jobId.get(), TriggerType.RETRY,
                    Instant.parse(data.getString(RunHeaders.DATA_FIRE_TIME)), nodeId, now, now, RunStatus.SKIPPED, 0, 0, 0, error,
                    data.getString(RunHeaders.DATA_RETRY_OF), RunParams.of(data)));
        } catch (RuntimeException e) {
            LOG.warn("Job {}: cannot record the skipped retry: {}", jobId.get(), e.getMessage());
        }
        LOG.info("Job {}: {}", jobId.get(), error);
        return true;
    }

    /** Fires the retry again a second later, for a minute at most: a job whose route does not come back loses it. */
    private void waitForRoute(Trigger trigger, JobDataMap data) {
        fireAgainLater(trigger, data, Duration.ofSeconds(1), 60, "job " + trigger.getJobKey().getName() + " is not loaded");
    }

    /**
     * A retry that came while its job was running: fired again every few seconds until the job is free (for an hour
     * at most), instead of being lost as {@code skipped}. {@link NoOverlapRule} hands it here.
     */
    public void whenBusy(JobExecutionContext context) {
        if (jobs.jobIdOf(context.getJobDetail().getKey()).filter(pauses::isPaused).isPresent()) {
            return; // recorded skipped by vetoJobExecution: a paused job's retry does not wait
        }
        fireAgainLater(context.getTrigger(), context.getMergedJobDataMap(), BUSY_WAIT, BUSY_WAITS,
                "job " + context.getJobDetail().getKey().getName() + " was running all along");
    }

    private void fireAgainLater(Trigger trigger, JobDataMap data, Duration wait, int maxWaits, String why) {
        try {
            if (!fires.fireAgainLater(trigger, data, data.getString(RunHeaders.DATA_RUN_ID), wait, maxWaits)) {
                LOG.warn("The automatic retry of the dead letters of run {} did not run: {} (retry them with 'caravan retry')",
                        data.getString(RunHeaders.DATA_RETRY_OF), why);
                return;
            }
            LOG.debug("The automatic retry of the dead letters of run {} waits {} more", data.getString(RunHeaders.DATA_RETRY_OF), wait);
        } catch (SchedulerException e) {
            LOG.warn("The automatic retry of the dead letters of run {} is lost ({}); retry them with 'caravan retry'",
                    data.getString(RunHeaders.DATA_RETRY_OF), e.getMessage());
        }
    }

    /** Whether the fire is an automatic retry, which waits for a busy job rather than being skipped. */
    static boolean isAutomatic(JobExecutionContext context) {
        return context.getMergedJobDataMap().containsKey(RunHeaders.DATA_RETRY_AUTOMATIC);
    }
}
