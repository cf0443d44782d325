package caravan.runs;

import caravan.config.Durations;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a run stops sending requests: once its timeout ({@code caravan.run-timeout}, or the job's {@code runTimeout})
 * has passed, or an operator cancelled it. From then on the run sends no new HTTP request: each item that would
 * have sent one fails for good and is dead-lettered, so the run ends soon, every item accounted for, and the job is
 * free for its next fire. It rides on the run's exchange, and so on every item's copy of it.
 */
public final class RunCutoff {

    /** The exchange property holding the run's cutoff. */
    public static final String PROPERTY = "CaravanRunCutoff";

    private static final Logger LOG = LoggerFactory.getLogger(RunCutoff.class);
    /** How the error of an item whose request was refused ends. */
    public static final String NOT_SENT = ": this request was not sent";
    private static final String TIMED_OUT = "passed its timeout of ";
    private static final String CANCELLED = "was cancelled";

    private final String jobId;
    private final String runId;
    private final Duration timeout;
    private final long startNanos;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cancelled;

    /** {@code timeout}: null or zero for none; {@code startNanos}: the run's start on {@link System#nanoTime()}. */
    public RunCutoff(String jobId, String runId, Duration timeout, long startNanos) {
        this.jobId = jobId;
        this.runId = runId;
        this.timeout = timeout == null || timeout.isZero() ? null : timeout;
        this.startNanos = startNanos;
    }

    /** The cutoff of the run this exchange belongs to, or null outside a run. */
    public static RunCutoff of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, RunCutoff.class);
    }

    /** Stops the run's requests now. */
    public void cancel() {
        cancelled = true;
    }

    private boolean passed() {
        return cancelled || timeout != null && System.nanoTime() - startNanos - timeout.toNanos() > 0;
    }

    /** Null while a request may still go out; once the cutoff has passed, why not (and the refusal is counted). */
    public String refusal() {
        if (!passed()) {
            return null;
        }
        if (refused.incrementAndGet() == 1) {
            LOG.warn("Run {} of job {} {}: it sends no new request, and the items that would send one are dead-lettered",
                    runId, jobId, what());
        }
        return "the run " + what() + NOT_SENT;
    }

    /** Whether a dead letter's error is a request refused by {@link #refusal}. */
    public static boolean isRefusal(String error) {
        return error != null && error.endsWith(NOT_SENT)
                && (error.contains("the run " + TIMED_OUT) || error.contains("the run " + CANCELLED));
    }

    /** Requests refused since the cutoff passed. */
    public int refused() {
        return refused.get();
    }

    /** For the run's error, when requests were refused. */
    public String summary() {
        return "the run " + what() + ": " + refused() + " later request(s) were not sent, their items dead-lettered";
    }

    private String what() {
        return cancelled ? CANCELLED : TIMED_OUT + Durations.format(timeout);
    }
}
