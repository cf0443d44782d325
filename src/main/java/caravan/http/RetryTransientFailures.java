package caravan.http;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The error handler's retry rule: another attempt while the failure is transient and attempts remain. Before it
 * answers, it lets {@link NextAttempt} record the attempts made and the wait before the next one.
 * <p>
 * The wait is set here, not in an {@code onExceptionOccurred} processor: Camel runs that processor through a
 * unit-of-work wrapper whose callback goes to the reactive queue, and blocks the thread until it runs; under a storm
 * of failures those nested waits were seen to hang every split thread of a run. A predicate is called directly.
 */
public final class RetryTransientFailures implements Predicate {

    private final int maxAttempts;
    private final NextAttempt nextAttempt;

    public RetryTransientFailures(int maxAttempts, NextAttempt nextAttempt) {
        this.maxAttempts = maxAttempts;
        this.nextAttempt = nextAttempt;
    }

    @Override
    public boolean matches(Exchange exchange) {
        if (nextAttempt != null) {
            nextAttempt.process(exchange);
        }
        return NextAttempt.attemptsMade(exchange) < maxAttempts
                && FailureKind.of(NextAttempt.failureOf(exchange)) == FailureKind.TRANSIENT;
    }

    @Override
    public String toString() {
        return "transient failures, up to " + maxAttempts + " attempts";
    }
}
