package caravan.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * One-off fires of a job that Caravan makes itself (automatic retries, chained runs): triggers in the job store, so
 * that they survive a restart and, in a cluster, one node runs each; one due while the daemon was down fires when it
 * is back.
 */
final class OneOffFires {

    private final Scheduler scheduler;
    private final String group;
    /** The fire data key counting how many times a fire was put off. */
    private final String waitsKey;
    private final Clock clock;

    OneOffFires(Scheduler scheduler, String group, String waitsKey, Clock clock) {
        this.scheduler = scheduler;
        this.group = group;
        this.waitsKey = waitsKey;
        this.clock = clock;
    }

    void schedule(String name, JobKey job, JobDataMap data, Instant at) throws SchedulerException {
        scheduler.scheduleJob(TriggerBuilder.newTrigger()
                .withIdentity(name, group)
                .forJob(job)
                .usingJobData(data)
                .startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build());
    }

    /**
     * Fires {@code trigger}'s fire again after {@code wait}, unless it was put off {@code maxWaits} times already
     * (then false). The new trigger's name is the fire's run id and the count, as the fired one is still stored.
     */
    boolean fireAgainLater(Trigger trigger, JobDataMap data, String runId, Duration wait, int maxWaits)
            throws SchedulerException {
        int waits = data.containsKey(waitsKey) ? Integer.parseInt(data.getString(waitsKey)) : 0;
        if (waits >= maxWaits) {
            return false;
        }
        JobDataMap again = new JobDataMap(data.getWrappedMap());
        again.put(waitsKey, Integer.toString(waits + 1));
        schedule(runId + "-" + (waits + 1), trigger.getJobKey(), again, clock.instant().plus(wait));
        return true;
    }

    /** Whether a fire of this group waits to fire for the job (not one that has fired and is running). */
    boolean waiting(JobKey job) throws SchedulerException {
        for (Trigger t : scheduler.getTriggersOfJob(job)) {
            if (group.equals(t.getKey().getGroup())) {
                Trigger.TriggerState state = scheduler.getTriggerState(t.getKey());
                if (state == Trigger.TriggerState.NORMAL || state == Trigger.TriggerState.PAUSED
                        || state == Trigger.TriggerState.BLOCKED) {
                    return true;
                }
            }
        }
        return false;
    }
}
