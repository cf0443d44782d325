package caravan.scheduling;

import caravan.runs.ActiveRun;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RetryItems;
import caravan.runs.RunParams;
import caravan.runs.RunRecorder;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an operator does to jobs: trigger now, cancel a run, pause, resume, look at schedules. JMX and tests call this. */
public final class JobControl {

    private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

    private final JobRoutes jobs;
    private final Scheduler scheduler;
    private final PauseStore pauses;
    private final RunRepository runs;
    private final ActiveRuns active;
    private final RetryItems.Source retries;
    private final Clock clock;
    private CatchUp catchUp;

    /** {@code retries}: where {@link #retry} finds a run's dead letters. */
    public JobControl(JobRoutes jobs, Scheduler scheduler, PauseStore pauses, RunRepository runs, ActiveRuns active,
            RetryItems.Source retries, Clock clock) {
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.pauses = pauses;
        this.runs = runs;
        this.active = active;
        this.retries = retries;
        this.clock = clock;
    }

    /** Resuming a job applies its catch-up policy to the fires it missed while paused. */
    public void useCatchUp(CatchUp catchUp) {
        this.catchUp = catchUp;
    }

    /** A retry fired: its run, the run whose dead letters it redoes, and how many items that is. */
    public record RetryStarted(String runId, String retryOf, int items) {
    }

    /**
     * Fires the job now to redo the items another run of it dead-lettered ({@code fromRunId}; null or blank: the job's
     * newest run with dead letters), recorded as {@code retry}. Through the job's own route: the run carries the
     * items' keys ({@link RetryItems}), and the items it meets under other keys send no request.
     */
    public RetryStarted retry(String jobId, String fromRunId) {
        JobRoutes.JobRoute job = require(jobId);
        JobRun from;
        if (fromRunId == null || fromRunId.isBlank()) {
            from = runs.newestRun(jobId, true);
            if (from == null) {
                throw new IllegalStateException("Job " + jobId + " has no run with dead letters: nothing to retry");
            }
        } else {
            from = runOf(jobId, fromRunId);
        }
        if (!from.status().isTerminal()) {
            throw new IllegalStateException("Run " + from.runId() + " of job " + jobId + " is still running: retry its"
                    + " dead letters once it has ended");
        }
        int items = retries.deadLetterKeys(from.runId(), false).size();
        if (items == 0) {
            throw new IllegalStateException("Run " + from.runId() + " of job " + jobId + " has no dead letters: nothing to retry");
        }
        String runId = RunRecorder.newRunId();
        fire(job, DeadLetterRetries.fireData(runId, from, clock.instant()));
        LOG.info("Job {}: run {} retries the {} item(s) dead-lettered in run {}", jobId, runId, items, from.runId());
        return new RetryStarted(runId, from.runId(), items);
    }

    /** Fires the job now through its own route; returns the run id (recorded as {@code manual}). */
    public String trigger(String jobId) {
        return trigger(jobId, Map.of());
    }

    /** As {@link #trigger(String)}, the run's exchange carrying {@code params} as properties ({@link RunParams}). */
    public String trigger(String jobId, Map<String, String> params) {
        JobRoutes.JobRoute job = require(jobId);
        String runId = RunRecorder.newRunId();
        JobDataMap data = new PlannedFire(runId, TriggerType.MANUAL, clock.instant()).data();
        RunParams.into(data, params);
        fire(job, data);
        // the names only: a value may be anything an operator typed
        LOG.info("Job {} triggered by hand: run {}{}", jobId, runId, params.isEmpty() ? "" : " with parameters " + params.keySet());
        return runId;
    }

    /**
     * Cuts off the job's run in progress on this node ({@link caravan.runs.RunCutoff}): it sends no new request, its
     * items not yet sent are dead-lettered, and it ends soon after. Returns the run id.
     */
    public String cancel(String jobId) {
        require(jobId);
        ActiveRun run = active.ofJob(jobId);
        if (run == null) {
            JobRun newest = runs.history(jobId, 1).stream().findFirst().orElse(null);
            if (newest != null && newest.status() == RunStatus.RUNNING) {
                throw new IllegalStateException("Run " + newest.runId() + " of job " + jobId + " is in progress on node "
                        + newest.nodeId() + ", not on this one: cancel it there (caravan cancel " + jobId
                        + " --jmx HOST:PORT of that node)");
            }
            throw new IllegalStateException("Job " + jobId + " has no run in progress");
        }
        run.cutoff().cancel();
        LOG.info("Run {} of job {} cancelled by an operator", run.run().runId(), jobId);
        return run.run().runId();
    }

    public synchronized void pause(String jobId) {
        JobRoutes.JobRoute job = require(jobId);
        pauses.pause(jobId, clock.instant());
        pauseTrigger(job);
        LOG.info("Job {} paused", jobId);
    }

    public synchronized void resume(String jobId) {
        JobRoutes.JobRoute job = require(jobId);
        pauses.resume(jobId);
        try {
            scheduler.resumeTrigger(job.endpoint().getTriggerKey());
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot resume job '" + jobId + "': " + e.getMessage(), e);
        }
        LOG.info("Job {} resumed", jobId);
        if (catchUp != null) {
            catchUp.apply(jobId);
        }
    }

    /**
     * Makes each loaded job's trigger paused exactly when an operator paused the job, after start or after a job's
     * file was reloaded. camel-quartz pauses a trigger in the job store whenever its route stops (at each stop of a
     * daemon that is not clustered, and when a reload replaces the route) and nothing resumes it when the route
     * starts again: without this a job stopped firing on its schedule after a restart or a reload. A fire the
     * resumed trigger still owes for a missed slot is left to the catch-up policy by {@link ScheduledFireGuard}.
     */
    public synchronized void applyStoredPauses() {
        var paused = pauses.paused();
        for (JobRoutes.JobRoute job : jobs.all()) {
            if (paused.contains(job.jobId())) {
                pauseTrigger(job);
            } else {
                resumeTriggerLeftPaused(job);
            }
        }
    }

    private void resumeTriggerLeftPaused(JobRoutes.JobRoute job) {
        try {
            if (scheduler.getTriggerState(job.endpoint().getTriggerKey()) == Trigger.TriggerState.PAUSED) {
                scheduler.resumeTrigger(job.endpoint().getTriggerKey());
                LOG.debug("Job {}: its trigger, paused when its route last stopped, is resumed", job.jobId());
            }
        } catch (SchedulerException e) {
            LOG.warn("Cannot resume the trigger of job {}; it may not fire until the next restart: {}", job.jobId(), e.getMessage());
        }
    }

    private void pauseTrigger(JobRoutes.JobRoute job) {
        try {
            scheduler.pauseTrigger(job.endpoint().getTriggerKey());
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot pause job '" + job.jobId() + "': " + e.getMessage(), e);
        }
    }

    public List<JobSchedule> schedules() {
        var paused = pauses.paused();
        return jobs.all().stream().map(j -> schedule(j, paused.contains(j.jobId()))).toList();
    }

    /**
     * Removes stored Quartz jobs that no loaded route consumes (their route file is gone). Not in a cluster: a job
     * this node lacks may be another node's, so it is kept (and this node hands its fires back to the others).
     */
    public void removeStoredJobsWithoutRoute() {
        try {
            if (scheduler.getMetaData().isJobStoreClustered()) {
                var loaded = jobs.all().stream().map(JobRoutes.JobRoute::jobKey).collect(java.util.stream.Collectors.toSet());
                var others = scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup()).stream()
                        .filter(k -> !loaded.contains(k)).map(Object::toString).sorted().toList();
                if (!others.isEmpty()) {
                    LOG.info("Cluster: stored job(s) {} have no route file on this node; kept for the nodes that have one", others);
                }
                return;
            }
            var loaded = jobs.all().stream().map(JobRoutes.JobRoute::jobKey).collect(java.util.stream.Collectors.toSet());
            for (org.quartz.JobKey key : scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup())) {
                if (!loaded.contains(key) && scheduler.deleteJob(key)) {
                    LOG.info("Stored job {} removed: no route file defines it any more", key);
                }
            }
        } catch (SchedulerException e) {
            LOG.warn("Cannot clean the job store: {}", e.getMessage());
        }
    }

    private JobSchedule schedule(JobRoutes.JobRoute job, boolean paused) {
        String cron = null;
        ZoneId zone = ZoneId.systemDefault();
        ZonedDateTime next = null;
        try {
            Trigger t = scheduler.getTrigger(job.endpoint().getTriggerKey());
            if (t instanceof CronTrigger ct) {
                cron = ct.getCronExpression();
                TimeZone tz = ct.getTimeZone();
                zone = tz == null ? zone : tz.toZoneId();
            }
            if (t != null && t.getNextFireTime() != null && !paused) {
                next = t.getNextFireTime().toInstant().atZone(zone);
            }
        } catch (SchedulerException e) {
            LOG.warn("Cannot read the trigger of job {}: {}", job.jobId(), e.getMessage());
        }
        List<java.time.OffsetDateTime> upcoming = cron == null || paused ? List.of()
                : CronFires.of(cron, zone).upcoming(clock.instant(), 3);
        if (!upcoming.isEmpty() && (next == null || upcoming.get(0).toInstant().isBefore(next.toInstant()))) {
            next = upcoming.get(0).atZoneSameInstant(zone);
        }
        JobQuartzComponent.JobOptions options = job.endpoint().getComponent() instanceof JobQuartzComponent quartz
                ? quartz.options(job.endpoint().getTriggerKey()) : null;
        return new JobSchedule(job.jobId(), cron, zone.getId(), next, upcoming, paused, runs.lastStatus(job.jobId()), options);
    }

    /** Fires the job now with {@code data} (a {@link PlannedFire}'s, and more). */
    private void fire(JobRoutes.JobRoute job, JobDataMap data) {
        try {
            scheduler.triggerJob(job.jobKey(), data);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot trigger job '" + job.jobId() + "': " + e.getMessage(), e);
        }
    }

    /** The run {@code runId} (surrounding blanks ignored), which must be one of the job's. */
    public JobRun runOf(String jobId, String runId) {
        JobRun run = runs.find(runId.strip());
        if (run == null || !run.jobId().equals(jobId)) {
            throw new IllegalArgumentException("Job " + jobId + " has no run " + runId.strip()
                    + ": see its runs with 'caravan history " + jobId + "'");
        }
        return run;
    }

    /** Refuses a job id that no loaded route has: "Unknown job 'x'. Known jobs: a, b." */
    public void requireKnown(String jobId) {
        require(jobId);
    }

    private JobRoutes.JobRoute require(String jobId) {
        return jobs.byId(jobId).orElseThrow(() -> jobs.unknown(jobId));
    }
}
