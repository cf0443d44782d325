package caravan.scheduling;

import caravan.runs.RunStatus;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What an operator sees of a job: its schedule, next fire in the job's zone, the next three fires with their
 * offsets (daylight-saving gaps included), pause and last run status, and Caravan's options of its quartz endpoint
 * (catch-up, run timeout, automatic retries; null when they cannot be read).
 */
public record JobSchedule(String jobId, String cron, String timeZone, ZonedDateTime nextFire,
        List<OffsetDateTime> nextFires, boolean paused, RunStatus lastStatus, JobQuartzComponent.JobOptions options) {
}
