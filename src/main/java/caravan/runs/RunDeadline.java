package caravan.runs;

import caravan.config.Durations;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's timeout ({@code caravan.run-timeout}, or the job's {@code runTimeout}): once it has passed, the run sends no
 * new HTTP request. Each item that would have sent one fails for good and is dead-lettered, so the run ends soon,
 * every item accounted for, and the job is free for its next fire. It rides on the run's exchange, and so on every
 * item's copy of it.
 */
public final class RunDeadline {

    /** The exchange property holding the run's deadline; absent when the run has no timeout. */
    public static final String PROPERTY = "CaravanRunDeadline";

    private static final Logger LOG = LoggerFactory.getLogger(RunDeadline.class);
    private static final String NOT_SENT = ": this request was not sent";

    private final String jobId;
    private final String runId;
    private final Duration timeout;
    private final long startNanos;
    private final AtomicInteger refused = new AtomicInteger();

    /** {@code startNanos}: the run's start on {@link System#nanoTime()}. */
    public RunDeadline(String jobId, String runId, Duration timeout, long startNanos) {
        this.jobId = jobId;
        this.runId = runId;
        this.timeout = timeout;
        this.startNanos = startNanos;
    }

    /** The deadline of the run this exchange belongs to, or null when it has none. */
    public static RunDeadline of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, RunDeadline.class);
    }

    public boolean passed() {
        return System.nanoTime() - startNanos - timeout.toNanos() > 0;
    }

    /** Null while a request may still go out; once the deadline has passed, why not (and the refusal is counted). */
    public String refusal() {
        if (!passed()) {
            return null;
        }
        if (refused.incrementAndGet() == 1) {
            LOG.warn("Run {} of job {} passed its timeout of {}: it sends no new request, and the items that would send"
                    + " one are dead-lettered", runId, jobId, Durations.format(timeout));
        }
        return "the run passed its timeout of " + Durations.format(timeout) + NOT_SENT;
    }

    /** Whether a dead letter's error is a request refused by {@link #refusal}. */
    public static boolean isRefusal(String error) {
        return error != null && error.endsWith(NOT_SENT) && error.contains("the run passed its timeout of ");
    }

    /** Requests refused since the deadline passed. */
    public int refused() {
        return refused.get();
    }

    /** For the run's error, when requests were refused. */
    public String summary() {
        return "the run passed its timeout of " + Durations.format(timeout) + ": " + refused()
                + " later request(s) were not sent, their items dead-lettered";
    }

    public Duration timeout() {
        return timeout;
    }
}
