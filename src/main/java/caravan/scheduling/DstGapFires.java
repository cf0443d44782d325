package caravan.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.quartz.CronTrigger;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz skips a cron time that falls in a spring-forward gap; Caravan runs it once, at the end of the gap. When a
 * job's next fire by {@link CronFires} comes before its Quartz trigger's next fire, a one-off trigger
 * ({@code NAME.dst-gap}) fires the job then; it is an ordinary scheduled fire for that slot.
 */
public final class DstGapFires implements JobListener {

    private static final Logger LOG = LoggerFactory.getLogger(DstGapFires.class);
    static final String SUFFIX = ".dst-gap";

    private final JobRoutes jobs;
    private final Scheduler scheduler;
    private final CatchUp catchUp;
    private final Clock clock;

    public DstGapFires(JobRoutes jobs, Scheduler scheduler, CatchUp catchUp, Clock clock) {
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.catchUp = catchUp;
        this.clock = clock;
    }

    @Override
    public String getName() {
        return "caravan-dst-gap";
    }

    /** Schedules the job's next gap fire, if its next fire is one. */
    public void scheduleNext(String jobId) {
        var job = jobs.byId(jobId).orElse(null);
        CronFires cron = job == null ? null : catchUp.cronOf(job);
        if (cron == null) {
            return;
        }
        try {
            Trigger main = scheduler.getTrigger(job.endpoint().getTriggerKey());
            Instant quartzNext = main == null || main.getNextFireTime() == null ? null : main.getNextFireTime().toInstant();
            Instant gap = cron.nextGapFire(clock.instant(), quartzNext);
            TriggerKey key = keyOf(job.endpoint().getTriggerKey());
            if (gap == null) {
                return;
            }
            Trigger existing = scheduler.getTrigger(key);
            if (existing != null && existing.getStartTime().toInstant().equals(gap)) {
                return;
            }
            Trigger once = TriggerBuilder.newTrigger().withIdentity(key).forJob(job.jobKey()).startAt(Date.from(gap))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            if (existing != null) {
                scheduler.rescheduleJob(key, once);
            } else {
                scheduler.scheduleJob(once);
            }
            LOG.info("Job {}: its {} fire falls in a daylight-saving gap; it runs once at {}", jobId, cron.zone().getId(),
                    gap.atZone(cron.zone()).toOffsetDateTime());
        } catch (SchedulerException e) {
            LOG.warn("Job {}: cannot schedule its daylight-saving gap fire: {}", jobId, e.getMessage());
        }
    }

    public void cancel(TriggerKey main) throws SchedulerException {
        scheduler.unscheduleJob(keyOf(main));
    }

    static TriggerKey keyOf(TriggerKey main) {
        return TriggerKey.triggerKey(main.getName() + SUFFIX, main.getGroup());
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
        if (context.getTrigger() instanceof SimpleTrigger && !context.getTrigger().getKey().getName().endsWith(SUFFIX)) {
            return;
        }
        if (context.getTrigger() instanceof CronTrigger cron && cron.getTimeZone() != null
                && cron.getTimeZone().toZoneId().getRules().isFixedOffset()) {
            return; // a zone without daylight-saving time has no gaps (UTC, the default): no look-up on every fire
        }
        jobs.jobIdOf(context.getJobDetail().getKey()).ifPresent(this::scheduleNext);
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
    }
}
