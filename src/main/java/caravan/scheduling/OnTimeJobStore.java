package caravan.scheduling;

import java.util.ArrayList;
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

    /** Quartz's scheduler thread records a fire up to 2 ms before the time it waits for. */
    private static final long START_MARGIN_MILLIS = 5;

    private long fireAhead;
    /** Fire instance id to the true fire time of the triggers presented at another time, not yet fired or released. */
    private final Map<String, Date> trueFireTimes = new ConcurrentHashMap<>();

    /** {@code org.quartz.jobStore.fireAhead}: milliseconds a fire's bookkeeping may come before its time (0: none). */
    public void setFireAhead(long fireAhead) {
        this.fireAhead = fireAhead;
    }

    @Override
    public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
            throws JobPersistenceException {
        List<OperableTrigger> acquired = super.acquireNextTriggers(noLaterThan, maxCount, timeWindow);
        if (fireAhead <= 0 || acquired.isEmpty()) {
            return acquired;
        }
        // Quartz fires a whole batch when its first trigger is due, so the batch is presented at one time.
        long now = System.currentTimeMillis();
        long batchTime = Long.MAX_VALUE;
        for (OperableTrigger trigger : acquired) {
            if (trigger.getNextFireTime() != null) {
                batchTime = Math.min(batchTime, Math.max(now, trigger.getNextFireTime().getTime() - fireAhead));
            }
        }
        if (batchTime == Long.MAX_VALUE) {
            return acquired;
        }
        // Never before a trigger's start: camel-quartz drops a fire recorded before it. A new trigger starts half a
        // second after its route, usually right at its first fire: such a trigger goes back and fires in a later
        // batch. A batch made only of such triggers is presented just after their start (Quartz's own wait may
        // end 2 ms early, and route starts wake it early often: without the margin, first fires were dropped).
        List<OperableTrigger> inBatch = new ArrayList<>(acquired.size());
        List<OperableTrigger> later = new ArrayList<>();
        for (OperableTrigger trigger : acquired) {
            Date start = trigger.getStartTime();
            (start != null && start.getTime() + START_MARGIN_MILLIS > batchTime ? later : inBatch).add(trigger);
        }
        if (inBatch.isEmpty()) {
            long afterStarts = batchTime;
            for (OperableTrigger trigger : acquired) {
                afterStarts = Math.max(afterStarts, trigger.getStartTime().getTime() + START_MARGIN_MILLIS);
            }
            present(acquired, afterStarts);
            return acquired;
        }
        later.forEach(this::releaseAcquiredTrigger);
        present(inBatch, batchTime);
        return inBatch;
    }

    /** Shows Quartz's scheduler thread the triggers as due at {@code at}; their true fire time is kept to put back. */
    private void present(List<OperableTrigger> triggers, long at) {
        for (OperableTrigger trigger : triggers) {
            Date due = trigger.getNextFireTime();
            if (due != null && trigger.getFireInstanceId() != null && due.getTime() != at) {
                trueFireTimes.put(trigger.getFireInstanceId(), due);
                trigger.setNextFireTime(new Date(at));
            }
        }
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
        Date due = trigger.getFireInstanceId() == null ? null : trueFireTimes.remove(trigger.getFireInstanceId());
        if (due != null) {
            trigger.setNextFireTime(due);
        }
    }
}
