package caravan.http;

import java.time.Duration;

/**
 * The delay between requests to one host, adapted to how the host answers (after Scrapy's AutoThrottle): it aims
 * at {@code targetConcurrency} requests in flight by moving towards {@code latency / targetConcurrency}, backs off
 * when latency grows, doubles on 429/503, and never speeds up on an error. Not thread-safe: the limiter guards it.
 */
public final class AutoThrottle {

    /** Where a host starts before its first answer: careful, then adapted within a few responses. */
    public static final Duration START_DELAY = Duration.ofSeconds(1);

    private final double targetConcurrency;
    private final long minNanos;
    private final long maxNanos;

    public AutoThrottle(double targetConcurrency, Duration minDelay, Duration maxDelay) {
        this.targetConcurrency = targetConcurrency;
        this.minNanos = minDelay.toNanos();
        this.maxNanos = Math.max(minNanos, maxDelay.toNanos());
    }

    public long startNanos() {
        return clamp(Math.max(minNanos, START_DELAY.toNanos()));
    }

    /** The next delay for a host, from its current delay and one answer ({@code status} null: no answer). */
    public long next(long currentNanos, long latencyNanos, Integer status) {
        if (status != null && (status == 429 || status == 503)) {
            return clamp(Math.max(currentNanos * 2, START_DELAY.toNanos()));
        }
        long target = Math.round(latencyNanos / targetConcurrency);
        long proposed = Math.max(target, (currentNanos + target) / 2);
        boolean ok = status != null && status >= 200 && status < 300;
        if (!ok && proposed <= currentNanos) {
            return currentNanos;
        }
        return clamp(proposed);
    }

    private long clamp(long nanos) {
        return Math.min(maxNanos, Math.max(minNanos, nanos));
    }
}
