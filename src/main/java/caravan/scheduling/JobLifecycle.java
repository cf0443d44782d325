package caravan.scheduling;

import java.util.TimeZone;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.RouteRemovedEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the job store in step with the loaded routes. When a job's route starts (at start-up or after its file was
 * reloaded): the stored trigger gets the file's cron and time zone, the catch-up policy runs, and a DST gap fire is
 * scheduled when one is due. When a job's route is removed (its file changed or is gone), its stored job goes too,
 * except in a cluster, where other nodes may still have the route.
 */
public final class JobLifecycle extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobLifecycle.class);

    private final CamelContext camel;
    private final Scheduler scheduler;
    private final CatchUp catchUp;
    private final DstGapFires gapFires;

    public JobLifecycle(CamelContext camel, Scheduler scheduler, CatchUp catchUp, DstGapFires gapFires) {
        this.camel = camel;
        this.scheduler = scheduler;
        this.catchUp = catchUp;
        this.gapFires = gapFires;
        // Only route events matter here. A notifier that leaves exchange events on makes Camel build and dispatch
        // events for every item of every fan-out (created, sending, sent, completed), only to be dropped.
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof RouteStartedEvent || event instanceof RouteRemovedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof RouteStartedEvent started) {
            JobRoutes.quartzEndpoint(started.getRoute().getEndpoint()).ifPresent(q -> started(started.getRoute(), q));
        } else if (event instanceof RouteRemovedEvent removed && !camel.isStopping()) {
            JobRoutes.quartzEndpoint(removed.getRoute().getEndpoint()).ifPresent(this::removed);
        }
    }

    private boolean clustered() {
        try {
            return scheduler.getMetaData().isJobStoreClustered();
        } catch (SchedulerException e) {
            return true;
        }
    }

    private void started(Route route, QuartzEndpoint endpoint) {
        try {
            applyZoneAndMisfirePolicy(route.getRouteId(), endpoint);
            applyRecoveryFlag(route.getRouteId(), endpoint);
            catchUp.apply(route.getRouteId());
            gapFires.scheduleNext(route.getRouteId());
        } catch (RuntimeException | SchedulerException e) {
            LOG.error("Job {}: cannot bring its stored schedule up to date: {}", route.getRouteId(), e.getMessage(), e);
        }
    }

    /** camel-quartz reschedules a stored trigger only when its cron changed; a zone change counts too. */
    private void applyZoneAndMisfirePolicy(String jobId, QuartzEndpoint endpoint) throws SchedulerException {
        Trigger stored = scheduler.getTrigger(endpoint.getTriggerKey());
        Object zone = endpoint.getTriggerParameters() == null ? null : endpoint.getTriggerParameters().get("timeZone");
        if (!(stored instanceof CronTrigger cron) || endpoint.getCron() == null || zone == null) {
            return;
        }
        TimeZone wanted = TimeZone.getTimeZone(zone.toString());
        if (cron.getTimeZone().getID().equals(wanted.getID())
                && cron.getMisfireInstruction() == CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING) {
            return;
        }
        Trigger replacement = TriggerBuilder.newTrigger().withIdentity(endpoint.getTriggerKey()).forJob(stored.getJobKey())
                .withSchedule(CronScheduleBuilder.cronSchedule(endpoint.getCron()).inTimeZone(wanted)
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        scheduler.rescheduleJob(endpoint.getTriggerKey(), replacement);
        LOG.info("Job {}: stored schedule updated to cron '{}' in {}", jobId, endpoint.getCron(), wanted.getID());
    }

    /** camel-quartz keeps a stored job as it was first stored; {@code recovery} may have changed since. */
    private void applyRecoveryFlag(String jobId, QuartzEndpoint endpoint) throws SchedulerException {
        JobKey key = JobKey.jobKey(endpoint.getTriggerKey().getName(), endpoint.getTriggerKey().getGroup());
        JobDetail stored = scheduler.getJobDetail(key);
        if (stored != null && stored.requestsRecovery() != endpoint.isRecoverableJob()) {
            scheduler.addJob(stored.getJobBuilder().requestRecovery(endpoint.isRecoverableJob()).build(), true, true);
            LOG.info("Job {}: recovery {}", jobId, endpoint.isRecoverableJob() ? "on" : "off");
        }
    }

    private void removed(QuartzEndpoint endpoint) {
        boolean stillUsed = camel.getRoutes().stream().anyMatch(r -> JobRoutes.quartzEndpoint(r.getEndpoint())
                .map(q -> q.getTriggerKey().equals(endpoint.getTriggerKey())).orElse(false));
        if (stillUsed || clustered()) {
            // In a cluster other nodes may still run the job: its stored trigger stays.
            return;
        }
        JobKey key = JobKey.jobKey(endpoint.getTriggerKey().getName(), endpoint.getTriggerKey().getGroup());
        try {
            if (scheduler.deleteJob(key)) {
                LOG.info("Stored job {} removed: its route is no longer loaded", key);
            }
            gapFires.cancel(endpoint.getTriggerKey());
        } catch (SchedulerException e) {
            LOG.warn("Cannot remove stored job {}: {}", key, e.getMessage());
        }
    }
}
