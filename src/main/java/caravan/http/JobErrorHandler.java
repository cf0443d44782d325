package caravan.http;

import caravan.config.RetrySettings;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;

/**
 * The error handler every route gets unless it declares its own: per-step, per-item redelivery of transient
 * failures with backoff (or Retry-After), waiting without holding a thread, then {@code caravan:dead-letter}.
 */
public final class JobErrorHandler {

    public static final String DEAD_LETTER_URI = "caravan:dead-letter";

    private JobErrorHandler() {
    }

    /**
     * {@code timer} schedules the redeliveries: it must not bound its queue, since every item of a fan-out may be
     * waiting at once (Camel's default pool for this rejects beyond its profile's queue size).
     */
    public static DeadLetterChannelDefinition create(RetrySettings settings, Clock clock, ScheduledExecutorService timer) {
        DeadLetterChannelDefinition dlc = new DeadLetterChannelDefinition(DEAD_LETTER_URI);
        if (timer != null) {
            dlc.executorService(timer);
        }
        dlc.maximumRedeliveries(Math.max(0, settings.maxAttempts() - 1));
        dlc.redeliveryDelay(settings.initialDelay().toMillis());
        dlc.maximumRedeliveryDelay(settings.maxDelay().toMillis());
        dlc.asyncDelayedRedelivery();
        dlc.setRetryWhilePredicate(new RetryTransientFailures(settings.maxAttempts(),
                new NextAttempt(new Backoff(settings, () -> ThreadLocalRandom.current().nextDouble()), new RetryAfter(clock))));
        dlc.deadLetterHandleNewException(true);
        dlc.logExhausted(false);
        dlc.logStackTrace(false);
        dlc.logRetryAttempted(false);
        dlc.logExhaustedMessageHistory(false);
        return dlc;
    }
}
