package caravan.scheduling;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredResult;

/**
 * Quartz's JDBC job store, with a fire's bookkeeping done ahead of its time so that the run starts on time.
 * <p>
 * Quartz fires a batch of due triggers in one store transaction (several statements per trigger) and only then
 * hands them to threads: with hundreds of jobs due in the same second, the last ones started a good fraction of a
 * second late. This store presents each trigger acquired for a fire to Quartz's scheduler thread up to
 * {@code fireAhead} milliseconds early, so that thread records the fire and hands it over early; the true fire time
 * is put back before the trigger is recorded as fired, so the schedule, the fire's scheduled time and the next fire
 * are Quartz's own. {@link FireOnTime} then holds the fire's (cheap) thread until its scheduled time.
 */
public class OnTimeJobStore extends JobStoreTX {

    private static final long START_MARGIN_MILLIS = 5;

    private long fireAhead;
    /** Fire instance id to the true fire time of the triggers presented early and not yet fired or released. */
    private final Map<String, Date> early = new ConcurrentHashMap<>();

    /** {@code org.quartz.jobStore.fireAhead}: milliseconds a fire's bookkeeping may come before its time (0: none). */
    public void setFireAhead(long fireAhead) {
        this.fireAhead = fireAhead;
    }

    @Override
    public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
            throws JobPersistenceException {
        List<OperableTrigger> acquired = super.acquireNextTriggers(noLaterThan, maxCount, timeWindow);
        if (fireAhead > 0) {
            long now = System.currentTimeMillis();
            for (OperableTrigger trigger : acquired) {
                Date due = trigger.getNextFireTime();
                if (due == null || trigger.getFireInstanceId() == null) {
                    continue;
                }
                // Never before the trigger's start: camel-quartz drops a fire recorded before it (a new trigger
                // starts half a second after its route, often less than fireAhead before its first fire). The
                // margin covers Quartz's scheduler thread, which records a fire up to 2 ms before the time it waits for.
                long presented = Math.max(now, due.getTime() - fireAhead);
                if (trigger.getStartTime() != null) {
                    presented = Math.max(presented, trigger.getStartTime().getTime() + START_MARGIN_MILLIS);
                }
                if (presented < due.getTime()) {
                    early.put(trigger.getFireInstanceId(), due);
                    trigger.setNextFireTime(new Date(presented));
                }
            }
        }
        return acquired;
    }

    @Override
    public List<TriggerFiredResult> triggersFired(List<OperableTrigger> triggers) throws JobPersistenceException {
        triggers.forEach(this::restore);
        return super.triggersFired(triggers);
    }

    @Override
    public void releaseAcquiredTrigger(OperableTrigger trigger) {
        restore(trigger);
        super.releaseAcquiredTrigger(trigger);
    }

    private void restore(OperableTrigger trigger) {
        Date due = trigger.getFireInstanceId() == null ? null : early.remove(trigger.getFireInstanceId());
        if (due != null) {
            trigger.setNextFireTime(due);
        }
    }
}
