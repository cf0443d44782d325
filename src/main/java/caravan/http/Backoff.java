package caravan.http;

import caravan.config.RetrySettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt: exponential from the initial delay by the multiplier, with +/-20% jitter, capped
 * by the maximum delay; a server's Retry-After replaces it (also capped) when the settings respect it.
 */
public final class Backoff {

    static final double JITTER = 0.2;

    private final RetrySettings settings;
    private final DoubleSupplier random;

    public Backoff(RetrySettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /** {@code attemptsMade} counts the attempts so far, the failed one included (1 before the first retry). */
    public Duration before(int attemptsMade, Optional<Duration> retryAfter) {
        long max = settings.maxDelay().toMillis();
        if (settings.respectRetryAfter() && retryAfter.isPresent()) {
            return Duration.ofMillis(Math.min(max, retryAfter.get().toMillis()));
        }
        double base = settings.initialDelay().toMillis() * Math.pow(settings.multiplier(), Math.max(0, attemptsMade - 1));
        double jittered = base * (1 - JITTER + 2 * JITTER * random.getAsDouble());
        return Duration.ofMillis(Math.min(max, Math.round(jittered)));
    }
}
