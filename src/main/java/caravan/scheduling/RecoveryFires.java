package caravan.scheduling;

import caravan.runs.RunHeaders;
import caravan.runs.RunRecorder;
import caravan.runs.TriggerType;
import java.time.Instant;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz re-runs a job that asks for recovery ({@code recovery: true} on its quartz endpoint) when the node running
 * it died: on another node in a cluster, at the next start otherwise. This listener makes such a fire a
 * {@code recovery} run for the slot the cut run stood for, with a run id of its own. Register it before the
 * listeners that read the run's trigger type.
 */
public final class RecoveryFires extends TriggerListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryFires.class);

    @Override
    public String getName() {
        return "caravan-recovery-fires";
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        if (!context.isRecovering() && !data.containsKey(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS)) {
            return;
        }
        Instant slot = slot(data, context);
        String runId = RunRecorder.newRunId();
        String cut = data.containsKey(RunHeaders.DATA_RUN_ID) ? data.getString(RunHeaders.DATA_RUN_ID) : null;
        data.put(RunHeaders.DATA_RUN_ID, runId);
        data.put(RunHeaders.DATA_TRIGGER, TriggerType.RECOVERY.dbName());
        data.put(RunHeaders.DATA_FIRE_TIME, slot.toString());
        LOG.warn("Job {}: recovering the run for {} that a node which stopped did not finish{}: run {}",
                context.getJobDetail().getKey(), slot, cut == null ? "" : " (run " + cut + ")", runId);
    }

    private static Instant slot(JobDataMap data, JobExecutionContext context) {
        if (data.containsKey(RunHeaders.DATA_FIRE_TIME)) {
            return Instant.parse(data.getString(RunHeaders.DATA_FIRE_TIME));
        }
        Object millis = data.get(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
        if (millis != null) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(millis.toString()));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        return context.getScheduledFireTime().toInstant();
    }
}
