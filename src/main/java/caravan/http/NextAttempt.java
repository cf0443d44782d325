package caravan.http;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs on every failure (called by {@link RetryTransientFailures}), before the error handler decides: remembers how many attempts were made and tells the
 * error handler how long to wait (backoff, or what Retry-After asks) through {@link Exchange#REDELIVERY_DELAY}.
 */
public final class NextAttempt implements Processor {

    /** The attempts made so far by the failing step (the failed one included). */
    public static final String ATTEMPTS = "CaravanAttempts";

    private final Backoff backoff;
    private final RetryAfter retryAfter;

    public NextAttempt(Backoff backoff, RetryAfter retryAfter) {
        this.backoff = backoff;
        this.retryAfter = retryAfter;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        int attempts = attemptsMade(exchange);
        exchange.setProperty(ATTEMPTS, attempts);
        Duration wait = backoff.before(attempts, retryAfter.of(failure));
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
    }

    public static int attemptsMade(Exchange exchange) {
        Integer counter = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return counter == null || counter < 1 ? 1 : counter;
    }

    static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
