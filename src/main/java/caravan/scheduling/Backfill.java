package caravan.scheduling;

import caravan.runs.RunRecorder;
import caravan.runs.TriggerType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job once for each fire time its cron gives in a range, oldest first and one at a time (through the
 * {@link FireQueue}, so the no-overlap rule holds), recorded as {@code backfill} runs with those fire times.
 * A range with more fires than {@code caravan.backfill.max-runs} is refused. JMX and the CLI call this.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private final JobRoutes jobs;
    private final CatchUp schedules;
    private final FireQueue queue;
    private final int maxRuns;

    /** The runs a backfill queued, oldest first. */
    public record Plan(String jobId, List<PlannedFire> runs) {

        /** {@code [{"runId":"...","fireTime":"2026-01-01T00:00:00Z"}, ...]}, what JMX and the CLI show. */
        public String toJson() {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var array = json.createArrayNode();
            runs.forEach(r -> array.addObject().put("runId", r.runId()).put("fireTime", r.fireTime().toString()));
            return array.toString();
        }
    }

    public Backfill(JobRoutes jobs, CatchUp schedules, FireQueue queue, int maxRuns) {
        this.jobs = jobs;
        this.schedules = schedules;
        this.queue = queue;
        this.maxRuns = maxRuns;
    }

    /** {@code from} and {@code to} are ISO-8601, with an offset or else in the job's time zone; both inclusive. */
    public Plan run(String jobId, String from, String to) {
        CronFires cron = cronOf(jobId);
        return run(jobId, parse(from, "--from", cron.zone()), parse(to, "--to", cron.zone()));
    }

    public Plan run(String jobId, Instant from, Instant to) {
        CronFires cron = cronOf(jobId);
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("Backfill of job '" + jobId + "': --to " + to + " is before --from " + from
                    + ": swap them");
        }
        Instant after = from.minusNanos(1);
        int count = cron.count(after, to, maxRuns + 1);
        if (count > maxRuns) {
            int all = cron.count(after, to, Integer.MAX_VALUE);
            throw new IllegalArgumentException("Backfill of job '" + jobId + "' from " + from + " to " + to + " would make "
                    + all + " runs, more than caravan.backfill.max-runs=" + maxRuns
                    + ": narrow the range or raise caravan.backfill.max-runs");
        }
        List<PlannedFire> runs = cron.between(after, to, maxRuns).stream()
                .map(t -> new PlannedFire(RunRecorder.newRunId(), TriggerType.BACKFILL, t)).toList();
        if (runs.isEmpty()) {
            LOG.info("Backfill of job {} from {} to {}: the cron '{}' gives no fire time in that range", jobId, from, to, cron.cron());
            return new Plan(jobId, runs);
        }
        LOG.info("Backfill of job {} from {} to {}: {} run(s) queued, one at a time", jobId, from, to, runs.size());
        queue.enqueue(jobId, runs);
        return new Plan(jobId, runs);
    }

    private CronFires cronOf(String jobId) {
        var job = jobs.byId(jobId).orElseThrow(() -> jobs.unknown(jobId));
        CronFires cron = schedules.cronOf(job);
        if (cron == null) {
            throw new IllegalArgumentException("Job '" + jobId + "' has no cron schedule, so there are no fire times to backfill");
        }
        return cron;
    }

    static Instant parse(String value, String option, ZoneId zone) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " " + value + " is not an ISO-8601 time: write e.g. "
                        + "2026-01-01T00:00:00Z, or 2026-01-01T00:00:00 for the job's time zone (" + zone.getId() + ")");
            }
        }
    }
}
