package caravan.store;

import caravan.config.Secrets;
import caravan.http.FailureKind;
import caravan.http.LastHttpUri;
import caravan.http.NextAttempt;
import caravan.http.PoliteHttp;
import caravan.runs.ActiveRun;
import caravan.runs.ActiveRuns;
import caravan.runs.RunHeaders;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the failed item as one dead letter of its run, counts it, and ends the item's routing. */
final class DeadLetterProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProducer.class);

    private final DeadLetterStore store;
    private final ActiveRuns runs;
    private final Secrets secrets;

    DeadLetterProducer(DeadLetterEndpoint endpoint, DeadLetterStore store, ActiveRuns runs, Secrets secrets) {
        super(endpoint);
        this.store = store;
        this.runs = runs;
        this.secrets = secrets;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        String runId = RunContext.runId(exchange);
        ActiveRun run = runs.get(runId);
        String itemKey = secrets.mask(itemKey(exchange, failure));
        String endpoint = secrets.mask(endpoint(exchange, failure));
        String error = secrets.mask(DeadLetterStore.describe(failure));
        Integer status = FailureKind.httpStatus(failure);
        int attempts = attempts(exchange);
        exchange.setRouteStop(true);
        if (exchange.getExchangeId().equals(exchange.getProperty(StoreProducer.STORED_BY, String.class))) {
            // The item already has its result: one item is never both a result and a dead letter.
            LOG.warn("Item {} failed after its result was stored, in a step after caravan:store ({} attempt(s)): {}",
                    itemKey, attempts, error);
            return;
        }
        if (run == null) {
            LOG.warn("Item {} failed outside a job run after {} attempt(s), not recorded: {}", itemKey, attempts, error);
            return;
        }
        String payload = secrets.mask(payload(exchange));
        store.record(run, new DeadLetterStore.DeadLetter(run.run().jobId(), runId, itemKey, endpoint, attempts, status,
                DeadLetterKind.of(failure), error, payload, Instant.now()));
    }

    /** Counted by Caravan's error handler, or the HTTP requests sent for the failing step (under any error handler). */
    static int attempts(Exchange exchange) {
        Integer recorded = exchange.getProperty(NextAttempt.ATTEMPTS, Integer.class);
        // the error handler's rule records attempts when it is asked; a permanent failure on the first try is one
        int counted = recorded != null ? recorded : NextAttempt.attemptsMade(exchange);
        int requests = exchange.getProperty(PoliteHttp.REQUESTS, 0, Integer.class);
        return Math.max(1, Math.max(counted, requests));
    }

    static String itemKey(Exchange exchange, Throwable failure) {
        String key = exchange.getMessage().getHeader(RunHeaders.ITEM_KEY, String.class);
        if (key == null) {
            key = exchange.getProperty(LastHttpUri.PROPERTY, String.class);
        }
        if (key == null) {
            key = endpoint(exchange, failure);
        }
        return key != null ? key : "exchange:" + exchange.getExchangeId();
    }

    static String endpoint(Exchange exchange, Throwable failure) {
        if (failure instanceof HttpOperationFailedException http && http.getUri() != null) {
            return http.getUri();
        }
        String uri = exchange.getProperty(LastHttpUri.PROPERTY, String.class);
        if (uri == null) {
            uri = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        }
        return uri;
    }

    static String payload(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return null;
        }
        try {
            return Payloads.toText(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
