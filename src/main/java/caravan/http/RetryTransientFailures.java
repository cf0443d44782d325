package caravan.http;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/** The error handler's retry rule: another attempt while the failure is transient and attempts remain. */
public final class RetryTransientFailures implements Predicate {

    private final int maxAttempts;

    public RetryTransientFailures(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @Override
    public boolean matches(Exchange exchange) {
        return NextAttempt.attemptsMade(exchange) < maxAttempts
                && FailureKind.of(NextAttempt.failureOf(exchange)) == FailureKind.TRANSIENT;
    }

    @Override
    public String toString() {
        return "transient failures, up to " + maxAttempts + " attempts";
    }
}
