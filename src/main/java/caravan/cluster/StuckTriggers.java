package caravan.cluster;

import caravan.store.Jdbc;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs, at start, triggers that a crash can leave stuck so that they never fire again: {@code ERROR} (Quartz
 * could not run the job once and gave up on the trigger) and {@code BLOCKED} / {@code PAUSED_BLOCKED} with no fire
 * of their job in progress on any node. Each repair is logged with the trigger and what was done.
 */
public final class StuckTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(StuckTriggers.class);

    private final Scheduler scheduler;
    private final Jdbc jdbc;

    public StuckTriggers(Scheduler scheduler, DataSource dataSource) {
        this.scheduler = scheduler;
        this.jdbc = new Jdbc(dataSource);
    }

    /** Repairs what it finds; returns one line per repaired trigger. */
    public List<String> repair() {
        List<String> repaired = new ArrayList<>();
        try {
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.anyTriggerGroup())) {
                if (scheduler.getTriggerState(key) == Trigger.TriggerState.ERROR) {
                    scheduler.resetTriggerFromErrorState(key);
                    repaired.add(key + ": ERROR -> " + scheduler.getTriggerState(key));
                }
            }
            String schedName = scheduler.getSchedulerName();
            repaired.addAll(unblock(schedName, "BLOCKED", "WAITING"));
            repaired.addAll(unblock(schedName, "PAUSED_BLOCKED", "PAUSED"));
        } catch (SchedulerException | RuntimeException e) {
            LOG.warn("Cannot check the job store for stuck triggers: {}", e.getMessage());
        }
        for (String line : repaired) {
            LOG.warn("Repaired stuck trigger {} (left by a crash; it fires again on its schedule)", line);
        }
        return repaired;
    }

    private List<String> unblock(String schedName, String stuck, String next) {
        String orphaned = " from QRTZ_TRIGGERS t where t.SCHED_NAME = ? and t.TRIGGER_STATE = ? and not exists"
                + " (select 1 from QRTZ_FIRED_TRIGGERS f where f.SCHED_NAME = t.SCHED_NAME and f.JOB_NAME = t.JOB_NAME"
                + " and f.JOB_GROUP = t.JOB_GROUP)";
        List<String> keys = jdbc.query("select t.TRIGGER_GROUP, t.TRIGGER_NAME" + orphaned,
                rs -> rs.getString(1) + "." + rs.getString(2) + ": " + stuck + " -> " + next, schedName, stuck);
        if (!keys.isEmpty()) {
            jdbc.update("update QRTZ_TRIGGERS set TRIGGER_STATE = ? where SCHED_NAME = ? and TRIGGER_STATE = ? and not exists"
                    + " (select 1 from QRTZ_FIRED_TRIGGERS f where f.SCHED_NAME = QRTZ_TRIGGERS.SCHED_NAME"
                    + " and f.JOB_NAME = QRTZ_TRIGGERS.JOB_NAME and f.JOB_GROUP = QRTZ_TRIGGERS.JOB_GROUP)",
                    next, schedName, stuck);
        }
        return keys;
    }
}
