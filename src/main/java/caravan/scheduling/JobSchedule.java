package caravan.scheduling;

import caravan.runs.RunStatus;
import java.time.ZonedDateTime;

/** What an operator sees of a job: its schedule, next fire in the job's zone, pause and last run status. */
public record JobSchedule(String jobId, String cron, String timeZone, ZonedDateTime nextFire, boolean paused,
        RunStatus lastStatus) {
}
