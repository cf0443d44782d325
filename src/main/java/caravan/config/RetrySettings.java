package caravan.config;

import java.time.Duration;

/** Default redelivery for every job: attempts per item and exponential backoff with jitter. */
public record RetrySettings(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
        boolean respectRetryAfter) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);

    public static RetrySettings from(CaravanProperties p) {
        int attempts = p.getInt("caravan.retry.max-attempts", DEFAULT_MAX_ATTEMPTS);
        if (attempts < 1) {
            throw new IllegalArgumentException("caravan.retry.max-attempts=" + attempts + " must be at least 1 (the first attempt counts)");
        }
        return new RetrySettings(attempts,
                p.getDuration("caravan.retry.initial-delay", DEFAULT_INITIAL_DELAY),
                p.getDouble("caravan.retry.multiplier", DEFAULT_MULTIPLIER),
                p.getDuration("caravan.retry.max-delay", DEFAULT_MAX_DELAY),
                p.getBoolean("caravan.retry.respect-retry-after", true));
    }
}
