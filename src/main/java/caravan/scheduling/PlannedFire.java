package caravan.scheduling;

import caravan.runs.TriggerType;
import java.time.Instant;

/** A fire Caravan makes itself (catch-up, backfill): its run id is known before it runs. */
public record PlannedFire(String runId, TriggerType trigger, Instant fireTime) {
}
