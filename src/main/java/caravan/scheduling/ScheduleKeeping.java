package caravan.scheduling;

import caravan.config.ScheduleSettings;
import caravan.runs.ActiveRuns;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.EverythingMatcher;

/**
 * Wires what makes schedules trustworthy into a started daemon: fire watermarks, catch-up, the queue of Caravan's
 * own fires, DST gap fires, the job-store upkeep on route start and removal, and backfill. Install it before the
 * route files load, after the no-overlap rule's listeners (so they see a fire first).
 */
public final class ScheduleKeeping {

    private final CatchUp catchUp;
    private final Backfill backfill;

    private ScheduleKeeping(CatchUp catchUp, Backfill backfill) {
        this.catchUp = catchUp;
        this.backfill = backfill;
    }

    /** The parts of the daemon schedule keeping works with. */
    public record Parts(CamelContext camel, JobQuartzComponent quartz, JobRoutes jobs, ActiveRuns active,
            DataSource dataSource, JobControl control) {
    }

    public static ScheduleKeeping install(Parts parts, Clock clock) throws SchedulerException {
        Scheduler scheduler = parts.quartz().getScheduler();
        ScheduleSettings settings = parts.quartz().settings();
        FireWatermarks watermarks = new FireWatermarks(parts.dataSource());
        FireQueue queue = new FireQueue(parts.jobs(), scheduler, parts.active());
        CatchUp catchUp = new CatchUp(parts.jobs(), parts.quartz(),
                new CatchUp.FireStores(watermarks, new PauseStore(parts.dataSource())), queue, clock);
        DstGapFires gapFires = new DstGapFires(parts.jobs(), scheduler, catchUp, clock);
        var listeners = scheduler.getListenerManager();
        listeners.addTriggerListener(new ScheduledFireGuard(parts.jobs(), watermarks, catchUp::apply, clock,
                parts.quartz().lateFire()),
                EverythingMatcher.allTriggers());
        listeners.addJobListener(queue, EverythingMatcher.allJobs());
        listeners.addJobListener(gapFires, EverythingMatcher.allJobs());
        JobLifecycle lifecycle = new JobLifecycle(parts.camel(), scheduler, catchUp, gapFires);
        parts.camel().getManagementStrategy().addEventNotifier(lifecycle);
        ServiceHelper.startService(lifecycle);
        parts.control().useCatchUp(catchUp);
        return new ScheduleKeeping(catchUp, new Backfill(parts.jobs(), catchUp, queue, settings.backfillMaxRuns()));
    }

    public CatchUp catchUp() {
        return catchUp;
    }

    public Backfill backfill() {
        return backfill;
    }
}
