package caravan.scheduling;

import caravan.runs.RunRecorder;
import caravan.runs.TriggerType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a job's catch-up policy to the fires its cron gave since its fire watermark: after downtime (when the
 * job's route starts), after a reload (the same), after {@code resume}, and after a Quartz misfire. The watermark
 * moves past every missed fire whatever the policy, so a fire is considered once; the runs the policy asks for go
 * through the {@link FireQueue} as {@code catchup} runs with their scheduled fire times.
 */
public final class CatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    private final JobRoutes jobs;
    private final JobQuartzComponent quartz;
    private final FireWatermarks watermarks;
    private final PauseStore pauses;
    private final FireQueue queue;
    private final Clock clock;
    private volatile java.util.function.ObjIntConsumer<String> onMissed = (job, n) -> { };

    /** What one catch-up found and did. */
    public record Outcome(String jobId, int missed, List<PlannedFire> runs) {
    }

    public CatchUp(JobRoutes jobs, JobQuartzComponent quartz, FireStores stores, FireQueue queue, Clock clock) {
        this.jobs = jobs;
        this.quartz = quartz;
        this.watermarks = stores.watermarks();
        this.pauses = stores.pauses();
        this.queue = queue;
        this.clock = clock;
    }

    /** Told how many fires a job missed, each time catch-up finds some (metrics count them). */
    public void onMissed(java.util.function.ObjIntConsumer<String> listener) {
        this.onMissed = listener;
    }

    /** The two tables catch-up reads: fire watermarks and pauses. */
    public record FireStores(FireWatermarks watermarks, PauseStore pauses) {
    }

    /** Applies the policy now; a paused job is left alone (its missed fires are handled at resume). */
    public synchronized Outcome apply(String jobId) {
        var job = jobs.byId(jobId).orElse(null);
        if (job == null || pauses.isPaused(jobId)) {
            return new Outcome(jobId, 0, List.of());
        }
        CronFires cron = cronOf(job);
        Instant now = clock.instant();
        if (cron == null) {
            return new Outcome(jobId, 0, List.of());
        }
        watermarks.startIfAbsent(jobId, now);
        JobQuartzComponent.JobOptions options = quartz.options(job.endpoint().getTriggerKey());
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant last = watermarks.last(jobId);
            CronFires.Missed missed = cron.newest(last, now, Math.max(1, options.catchUpMax()));
            if (missed.total() == 0) {
                return new Outcome(jobId, 0, List.of());
            }
            Instant newest = missed.newest().get(missed.newest().size() - 1);
            if (!watermarks.move(jobId, last, newest, now)) {
                continue;
            }
            List<PlannedFire> runs = options.catchUp().select(missed.newest(), options.catchUpMax()).stream()
                    .map(t -> new PlannedFire(RunRecorder.newRunId(), TriggerType.CATCHUP, t)).toList();
            LOG.info("Job {}: {} fire(s) missed after {} (cron '{}' in {}): {}{}; catch-up {}: {} run(s){}", jobId,
                    missed.total(), last, cron.cron(), cron.zone().getId(), missed.newest(),
                    missed.total() > missed.newest().size() ? " (newest shown)" : "", options.catchUp().configName(),
                    runs.size(), runs.isEmpty() ? "" : " for " + runs.stream().map(r -> r.fireTime().toString()).toList());
            onMissed.accept(jobId, missed.total());
            if (options.catchUp() == CatchUpPolicy.ALL && missed.total() > runs.size()) {
                LOG.warn("Job {}: {} missed fire(s) older than the newest {} are not run (catchupMax); raise it to run more",
                        jobId, missed.total() - runs.size(), runs.size());
            }
            queue.enqueue(jobId, runs);
            return new Outcome(jobId, missed.total(), runs);
        }
        LOG.warn("Job {}: catch-up gave way three times to concurrent fires; it runs again at the next resume or restart", jobId);
        return new Outcome(jobId, 0, List.of());
    }

    /** The job's cron in its zone, as its trigger says; null for a job without a cron. */
    public CronFires cronOf(JobRoutes.JobRoute job) {
        String cron = job.endpoint().getCron();
        if (cron == null) {
            return null;
        }
        ZoneId zone = quartz.settings().timeZone();
        try {
            Trigger t = quartz.getScheduler().getTrigger(job.endpoint().getTriggerKey());
            if (t instanceof CronTrigger ct && ct.getTimeZone() != null) {
                zone = ct.getTimeZone().toZoneId();
            } else if (job.endpoint().getTriggerParameters() != null
                    && job.endpoint().getTriggerParameters().get("timeZone") != null) {
                zone = TimeZone.getTimeZone(job.endpoint().getTriggerParameters().get("timeZone").toString()).toZoneId();
            }
        } catch (SchedulerException e) {
            LOG.warn("Cannot read the trigger of job {}: {}", job.jobId(), e.getMessage());
        }
        return CronFires.of(cron, zone);
    }
}
