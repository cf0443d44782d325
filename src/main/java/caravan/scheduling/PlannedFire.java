package caravan.scheduling;

import caravan.runs.RunHeaders;
import caravan.runs.TriggerType;
import java.time.Instant;
import org.quartz.JobDataMap;

/** A fire Caravan makes itself (by hand, catch-up, backfill, retry): its run id is known before it runs. */
public record PlannedFire(String runId, TriggerType trigger, Instant fireTime) {

    /** The fire's Quartz data, which the run reads its id, trigger type and fire time from. */
    JobDataMap data() {
        JobDataMap data = new JobDataMap();
        data.put(RunHeaders.DATA_RUN_ID, runId);
        data.put(RunHeaders.DATA_TRIGGER, trigger.dbName());
        data.put(RunHeaders.DATA_FIRE_TIME, fireTime.toString());
        return data;
    }
}
