package caravan.scheduling;

import caravan.runs.JobRun;
import caravan.runs.RunHeaders;
import caravan.runs.RunListener;
import caravan.runs.RunRecorder;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chained jobs: a job with {@code after=scrape} runs each time a run of {@code scrape} ends in one of the job's
 * {@code afterStatus} ({@code succeeded} by default). The chained fire is a one-off trigger in the job store, so in a
 * cluster one node runs it, whichever node ran the run before it. One that comes while its job runs waits for the
 * run to end; while one waits, later ends of the jobs before it add none, since the run that waits comes after them
 * all. A paused job is not triggered (nor run by a chained fire that was waiting when it was paused), and a chain that comes back to a job already in it (a cycle of {@code after}
 * options) stops there.
 */
public final class JobChains extends TriggerListenerSupport implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(JobChains.class);
    static final String TRIGGER_GROUP = "caravan-after";
    private static final String DATA_WAITS = "caravan.afterWaits";
    /** A chained fire that meets its job running looks again this often, for a day at most. */
    private static final Duration BUSY_WAIT = Duration.ofSeconds(1);
    private static final int BUSY_WAITS = 86_400;
    /** How far back a chain is followed to find a cycle. */
    private static final int MAX_CHAIN = 100;

    private final JobRoutes jobs;
    private final JobQuartzComponent quartz;
    private final RunRepository runs;
    private final PauseStore pauses;
    private final Clock clock;
    private final OneOffFires fires;

    public JobChains(JobRoutes jobs, JobQuartzComponent quartz, Scheduler scheduler, RunRepository runs,
            PauseStore pauses, Clock clock) {
        this.jobs = jobs;
        this.quartz = quartz;
        this.runs = runs;
        this.pauses = pauses;
        this.clock = clock;
        this.fires = new OneOffFires(scheduler, TRIGGER_GROUP, DATA_WAITS, clock);
    }

    @Override
    public void runEnded(JobRun run) {
        chainAfter(run, false);
    }

    /** {@code again}: the end was seen before, by a daemon that stopped, and may have started some of its runs. */
    private void chainAfter(JobRun run, boolean again) {
        boolean scheduled = true;
        boolean followed = false;
        for (JobRoutes.JobRoute job : jobs.all()) {
            if (quartz.options(job.endpoint().getTriggerKey()).runsAfter(run.jobId(), run.status())) {
                followed = true;
                try {
                    if (again && runs.followedBy(run, job.jobId())) {
                        continue;
                    }
                    chain(run, job);
                } catch (SchedulerException | RuntimeException e) {
                    scheduled = false;
                    LOG.warn("Job {}: cannot start its run after run {} of job {} ({}); trigger it with 'caravan trigger {}'",
                            job.jobId(), run.runId(), run.jobId(), e.getMessage(), job.jobId());
                }
            }
        }
        if (followed && scheduled) {
            try {
                runs.chainsScheduled(run.runId());
            } catch (RuntimeException e) {
                LOG.warn("Run {} of job {}: cannot record that the runs after it are scheduled ({}); they may run again"
                        + " at the next start", run.runId(), run.jobId(), e.getMessage());
            }
        }
    }

    /** Whether a job is chained after this end of {@code jobId}: the end is then recorded as pending its chained runs. */
    public boolean followed(String jobId, RunStatus status) {
        for (JobRoutes.JobRoute job : jobs.all()) {
            if (quartz.options(job.endpoint().getTriggerKey()).runsAfter(jobId, status)) {
                return true;
            }
        }
        return false;
    }

    /**
     * At start: the runs this node ended before {@code before} whose chained runs were not scheduled, as the daemon
     * stopped between the two, get them now. Runs the jobs after them no longer name are only marked done.
     */
    public void schedulePending(String nodeId, Instant before) {
        for (JobRun run : runs.chainsPending(nodeId, before)) {
            if (!followed(run.jobId(), run.status())) {
                runs.chainsScheduled(run.runId());
                continue;
            }
            LOG.info("Run {} of job {} ended as the daemon stopped, before the jobs after it were started: starting them now",
                    run.runId(), run.jobId());
            chainAfter(run, true);
        }
    }

    /**
     * In a cluster, once another node is found dead: the runs it ended without scheduling their chained runs get them
     * here. Ends that no job loaded here follows stay pending, for that node to start when it is back.
     */
    public void takeOverPending(String failedNode, Instant before) {
        for (JobRun run : runs.chainsPending(failedNode, before)) {
            if (followed(run.jobId(), run.status())) {
                LOG.info("Run {} of job {} ended on node {} as it died, before the jobs after it were started: starting"
                        + " them here", run.runId(), run.jobId(), failedNode);
                chainAfter(run, true);
            }
        }
    }

    private void chain(JobRun run, JobRoutes.JobRoute job) throws SchedulerException {
        String jobId = job.jobId();
        List<String> chain = chainOf(run);
        if (chain.contains(jobId)) {
            LOG.warn("Job {}: not run after run {} of job {}: the chain {} would come back to it (a cycle of after"
                    + " options; remove {} from one of them)", jobId, run.runId(), run.jobId(), String.join(" <- ", chain),
                    jobId);
            return;
        }
        if (pauses.isPaused(jobId)) {
            LOG.info("Job {} is paused: not run after run {} of job {}", jobId, run.runId(), run.jobId());
            return;
        }
        if (fires.waiting(job.jobKey())) {
            LOG.info("Job {}: a run after another job's already waits to start; it comes after run {} of job {} too",
                    jobId, run.runId(), run.jobId());
            return;
        }
        Instant now = clock.instant();
        String runId = RunRecorder.newRunId();
        JobDataMap data = new PlannedFire(runId, TriggerType.AFTER, now).data();
        data.put(RunHeaders.DATA_AFTER_RUN, run.runId());
        data.put(RunHeaders.DATA_AFTER_JOB, run.jobId());
        fires.schedule(runId, job.jobKey(), data, now);
        LOG.info("Job {}: run {} starts after run {} of job {} ({})", jobId, runId, run.runId(), run.jobId(),
                run.status().dbName());
    }

    /** The jobs of the chain that led to {@code run}: its own, the job of the run that triggered it, and so on back. */
    private List<String> chainOf(JobRun run) {
        List<String> chain = new ArrayList<>();
        for (JobRun r = run; r != null && chain.size() < MAX_CHAIN; r = r.afterRun() == null ? null : runs.find(r.afterRun())) {
            chain.add(r.jobId());
        }
        return chain;
    }

    /** Whether the fire is a chained run's, which waits for a busy job rather than being skipped. */
    static boolean isChained(JobExecutionContext context) {
        return context.getMergedJobDataMap().containsKey(RunHeaders.DATA_AFTER_RUN);
    }

    @Override
    public String getName() {
        return "caravan-job-chains";
    }

    /** A chained fire whose job was paused since it was scheduled does not run: pausing stops what a job does on its own. */
    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        if (!isChained(context)) {
            return false;
        }
        String jobId = jobs.jobIdOf(context.getJobDetail().getKey()).orElse(context.getJobDetail().getKey().getName());
        if (!pauses.isPaused(jobId)) {
            return false;
        }
        LOG.info("Job {} is paused: its run after run {} does not start", jobId,
                context.getMergedJobDataMap().getString(RunHeaders.DATA_AFTER_RUN));
        return true;
    }

    /** A chained fire that came while its job was running: fired again shortly, until the job is free. */
    public void whenBusy(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        String jobId = jobs.jobIdOf(context.getJobDetail().getKey()).orElse(context.getJobDetail().getKey().getName());
        if (pauses.isPaused(jobId)) {
            return; // vetoed as paused too: a paused job's chained run does not wait
        }
        try {
            if (!fires.fireAgainLater(context.getTrigger(), data, data.getString(RunHeaders.DATA_RUN_ID), BUSY_WAIT, BUSY_WAITS)) {
                LOG.warn("Job {}: its run after run {} did not start: the job was running all day",
                        jobId, data.getString(RunHeaders.DATA_AFTER_RUN));
            }
        } catch (SchedulerException e) {
            LOG.warn("Job {}: its run after run {} is lost ({}); trigger it with 'caravan trigger'",
                    jobId, data.getString(RunHeaders.DATA_AFTER_RUN), e.getMessage());
        }
    }
}
