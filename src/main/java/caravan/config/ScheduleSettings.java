package caravan.config;

import caravan.scheduling.CatchUpPolicy;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/**
 * How Caravan treats time: misfires, the default time zone, catch-up after downtime, backfill bounds, how long a
 * run may go on sending requests ({@code runTimeout}, zero: no limit), and when a run's dead letters are retried on
 * their own ({@code retryDeadLetters} after the run, zero: never; at most {@code retryDeadLettersMax} times in a row).
 */
public record ScheduleSettings(Duration misfireThreshold, ZoneId timeZone, CatchUpPolicy catchUp, int catchUpMax,
        int backfillMaxRuns, Duration runTimeout, Duration retryDeadLetters, int retryDeadLettersMax) {

    public static final String RUN_TIMEOUT_KEY = "caravan.run-timeout";
    /** How long after a run with dead letters they are retried on their own (zero: not automatically). */
    public static final String RETRY_DEAD_LETTERS_KEY = "caravan.retry-dead-letters";
    /** How many automatic retries in a row at most. */
    public static final String RETRY_DEAD_LETTERS_MAX_KEY = "caravan.retry-dead-letters-max";
    public static final int DEFAULT_RETRY_DEAD_LETTERS_MAX = 3;

    public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofSeconds(60);
    public static final CatchUpPolicy DEFAULT_CATCH_UP = CatchUpPolicy.SKIP;
    public static final int DEFAULT_CATCH_UP_MAX = 10;
    public static final int DEFAULT_BACKFILL_MAX_RUNS = 1000;

    public static ScheduleSettings from(CaravanProperties p) {
        String zone = p.get("caravan.scheduler.time-zone", null);
        int cap = p.getInt("caravan.scheduler.catchup-max", DEFAULT_CATCH_UP_MAX);
        if (cap < 0) {
            throw new IllegalArgumentException("caravan.scheduler.catchup-max=" + cap + " must be 0 or more");
        }
        int retries = p.getInt(RETRY_DEAD_LETTERS_MAX_KEY, DEFAULT_RETRY_DEAD_LETTERS_MAX);
        if (retries < 1) {
            throw new IllegalArgumentException(RETRY_DEAD_LETTERS_MAX_KEY + "=" + retries + " must be 1 or more");
        }
        return new ScheduleSettings(
                p.getDuration("caravan.scheduler.misfire-threshold", DEFAULT_MISFIRE_THRESHOLD),
                zone == null ? ZoneId.systemDefault() : zone(zone),
                CatchUpPolicy.parse(p.get("caravan.scheduler.catchup", DEFAULT_CATCH_UP.configName()), "caravan.scheduler.catchup"),
                cap,
                p.getInt("caravan.backfill.max-runs", DEFAULT_BACKFILL_MAX_RUNS),
                p.getDuration(RUN_TIMEOUT_KEY, Duration.ZERO),
                p.getDuration(RETRY_DEAD_LETTERS_KEY, Duration.ZERO),
                retries);
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("caravan.scheduler.time-zone=" + id
                    + " is not a time zone: write a region such as Europe/Berlin or UTC");
        }
    }
}
