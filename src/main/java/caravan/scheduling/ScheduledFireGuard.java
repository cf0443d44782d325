package caravan.scheduling;

import caravan.runs.RunHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each scheduled fire claims its slot on the job's fire watermark before it runs: a slot already run (by a
 * catch-up that raced a late Quartz fire) is not run twice, and the watermark always says up to where the job is
 * done. A fire of a trigger whose route is not loaded is vetoed (its slot is left to catch-up). A Quartz misfire
 * hands the job to the catch-up policy; so does, in a cluster, a fire that comes later than {@code caravan.cluster.late-fire}
 * (its node died or stopped while holding it).
 */
public final class ScheduledFireGuard extends TriggerListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledFireGuard.class);

    private final JobRoutes jobs;
    private final FireWatermarks watermarks;
    private final Consumer<String> onMisfire;
    private final Clock clock;
    private final Duration lateFire;

    public ScheduledFireGuard(JobRoutes jobs, FireWatermarks watermarks, Consumer<String> onMisfire, Clock clock) {
        this(jobs, watermarks, onMisfire, clock, null);
    }

    /** {@code lateFire}: a scheduled fire that starts later than this is handed to catch-up instead (null: never). */
    public ScheduledFireGuard(JobRoutes jobs, FireWatermarks watermarks, Consumer<String> onMisfire, Clock clock,
            Duration lateFire) {
        this.jobs = jobs;
        this.watermarks = watermarks;
        this.onMisfire = onMisfire;
        this.clock = clock;
        this.lateFire = lateFire;
    }

    @Override
    public String getName() {
        return "caravan-fire-watermark";
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        if (context.getMergedJobDataMap().containsKey(RunHeaders.DATA_TRIGGER)) {
            return false;
        }
        Optional<String> jobId = jobs.jobIdOf(context.getJobDetail().getKey());
        if (jobId.isEmpty()) {
            LOG.debug("Fire of {} vetoed: no loaded route consumes it", context.getJobDetail().getKey());
            return true;
        }
        Instant slot = context.getScheduledFireTime().toInstant();
        Instant now = clock.instant();
        if (isLateAndUnclaimed(jobId.get(), slot, now)) {
            LOG.warn("Job {}: fire for {} came {} ms late (more than {} ms: the node holding it stopped or died);"
                    + " applying its catch-up policy", jobId.get(), slot, Duration.between(slot, now).toMillis(), lateFire.toMillis());
            onMisfire.accept(jobId.get());
            return true;
        }
        if (watermarks.claim(jobId.get(), slot, now)) {
            return false;
        }
        LOG.info("Job {}: fire for {} not run: that slot was already run (catch-up)", jobId.get(), slot);
        return true;
    }

    private boolean isLateAndUnclaimed(String jobId, Instant slot, Instant now) {
        if (lateFire == null || Duration.between(slot, now).compareTo(lateFire) <= 0) {
            return false;
        }
        Instant last = watermarks.last(jobId);
        return last != null && last.isBefore(slot);
    }

    @Override
    public void triggerMisfired(Trigger trigger) {
        jobs.jobIdOf(trigger.getJobKey()).ifPresent(jobId -> {
            Instant missed = trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
            Instant watermark = watermarks.last(jobId);
            if (missed != null && watermark != null && !missed.isAfter(watermark)) {
                // a trigger resumed after downtime: the catch-up at start has already dealt with this fire
                LOG.debug("Job {}: Quartz's misfire for {} was already handled by catch-up", jobId, missed);
            } else {
                LOG.warn("Job {}: Quartz missed its fire for {} by more than the misfire threshold; applying its catch-up policy",
                        jobId, missed == null ? "?" : missed);
            }
            onMisfire.accept(jobId);
        });
    }
}
