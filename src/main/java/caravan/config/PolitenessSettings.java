package caravan.config;

import java.time.Duration;

/**
 * How hard Caravan may press on sites: requests in flight overall and per host, a minimum delay between requests
 * to one host, an optional adaptive per-host throttle, and optional robots.txt respect.
 */
public record PolitenessSettings(int maxConcurrent, Duration hostDelay, boolean autoThrottle,
        double autoThrottleTargetConcurrency, Duration autoThrottleMaxDelay, boolean robotsTxt) {

    public static final int DEFAULT_MAX_CONCURRENT = 64;
    public static final Duration DEFAULT_HOST_DELAY = Duration.ZERO;
    public static final double DEFAULT_TARGET_CONCURRENCY = 2.0;
    public static final Duration DEFAULT_AUTO_THROTTLE_MAX_DELAY = Duration.ofSeconds(30);

    public static PolitenessSettings from(CaravanProperties p) {
        int maxConcurrent = p.getInt("caravan.http.max-concurrent", DEFAULT_MAX_CONCURRENT);
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("caravan.http.max-concurrent=" + maxConcurrent + " must be at least 1");
        }
        double target = p.getDouble("caravan.http.auto-throttle.target-concurrency", DEFAULT_TARGET_CONCURRENCY);
        if (target <= 0) {
            throw new IllegalArgumentException("caravan.http.auto-throttle.target-concurrency=" + target + " must be above 0");
        }
        return new PolitenessSettings(maxConcurrent,
                p.getDuration("caravan.http.host-delay", DEFAULT_HOST_DELAY),
                p.getBoolean("caravan.http.auto-throttle", false),
                target,
                p.getDuration("caravan.http.auto-throttle.max-delay", DEFAULT_AUTO_THROTTLE_MAX_DELAY),
                p.getBoolean("caravan.http.robots-txt", false));
    }
}
