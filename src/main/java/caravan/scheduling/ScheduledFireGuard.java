package caravan.scheduling;

import caravan.runs.RunHeaders;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.TriggerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each scheduled fire claims its slot on the job's fire watermark before it runs: a slot already run (by a
 * catch-up that raced a late Quartz fire) is not run twice, and the watermark always says up to where the job is
 * done. A fire of a trigger whose route is not loaded is vetoed (its slot is left to catch-up). A Quartz misfire
 * hands the job to the catch-up policy.
 */
public final class ScheduledFireGuard implements TriggerListener {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledFireGuard.class);

    private final JobRoutes jobs;
    private final FireWatermarks watermarks;
    private final Consumer<String> onMisfire;
    private final Clock clock;

    public ScheduledFireGuard(JobRoutes jobs, FireWatermarks watermarks, Consumer<String> onMisfire, Clock clock) {
        this.jobs = jobs;
        this.watermarks = watermarks;
        this.onMisfire = onMisfire;
        this.clock = clock;
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
        if (watermarks.claim(jobId.get(), slot, clock.instant())) {
            return false;
        }
        LOG.info("Job {}: fire for {} not run: that slot was already run (catch-up)", jobId.get(), slot);
        return true;
    }

    @Override
    public void triggerMisfired(Trigger trigger) {
        jobs.jobIdOf(trigger.getJobKey()).ifPresent(jobId -> {
            LOG.warn("Job {}: Quartz missed its fire for {} by more than the misfire threshold; applying its catch-up policy",
                    jobId, trigger.getNextFireTime() == null ? "?" : trigger.getNextFireTime().toInstant());
            onMisfire.accept(jobId);
        });
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {
    }

    @Override
    public void triggerComplete(Trigger trigger, JobExecutionContext context,
            Trigger.CompletedExecutionInstruction triggerInstructionCode) {
    }
}
