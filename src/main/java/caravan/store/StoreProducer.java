package caravan.store;

import caravan.config.Secrets;
import caravan.runs.ActiveRun;
import caravan.runs.ActiveRuns;
import caravan.runs.RunHeaders;
import caravan.http.LastHttpUri;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Stores the body with the run's job and run ids; the item key comes from {@code CaravanItemKey} or the last HTTP URI.
 * Asynchronous: while the result waits for its commit the branch holds no thread, and it goes on (on
 * {@code continuation}) only once the result is durable, so that a counted result is never lost.
 */
final class StoreProducer extends DefaultAsyncProducer {

    /** Set on the message after storing: whether the item is new or its content changed. */
    static final String CHANGED_HEADER = "CaravanChanged";
    /** Set after storing: the id of the exchange that stored its item (so a later failure is not a dead letter). */
    static final String STORED_BY = "CaravanStoredBy";

    private final StoreEndpoint endpoint;
    private final ResultStore results;
    private final ActiveRuns runs;
    private final Secrets secrets;
    private final Executor continuation;

    StoreProducer(StoreEndpoint endpoint, ResultStore results, ActiveRuns runs, Secrets secrets, Executor continuation) {
        super(endpoint);
        this.endpoint = endpoint;
        this.results = results;
        this.runs = runs;
        this.secrets = secrets;
        this.continuation = continuation;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ActiveRun run;
        String itemKey;
        CompletableFuture<ResultStore.Outcome> stored;
        try {
            String runId = RunContext.runId(exchange);
            run = runs.get(runId);
            if (run == null) {
                throw new IllegalStateException("caravan:store is used outside a job run (no " + RunHeaders.RUN_ID
                        + "): call it from a route whose from: is a quartz: endpoint, or a route that such a job calls");
            }
            itemKey = secrets.mask(itemKey(exchange));
            String payload = Payloads.toText(exchange.getMessage().getBody());
            stored = results.storeLater(new ResultStore.NewResult(run.run().jobId(), runId, itemKey, payload, Instant.now()),
                    endpoint.isSkipUnchanged());
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (stored.isDone()) {
            finish(exchange, run, itemKey, stored);
            callback.done(true);
            return true;
        }
        stored.whenComplete((outcome, failure) -> goOn(() -> {
            finish(exchange, run, itemKey, stored);
            callback.done(false);
        }));
        return false;
    }

    private void goOn(Runnable rest) {
        try {
            continuation.execute(rest);
        } catch (RejectedExecutionException stopping) {
            rest.run(); // the pool is shutting down: the branch must still end
        }
    }

    private static void finish(Exchange exchange, ActiveRun run, String itemKey, CompletableFuture<ResultStore.Outcome> stored) {
        ResultStore.Outcome outcome;
        try {
            outcome = stored.join();
        } catch (CompletionException e) {
            exchange.setException(e.getCause());
            return;
        }
        run.counts().stored(outcome.isChange());
        run.ended(itemKey);
        exchange.getMessage().setHeader(CHANGED_HEADER, outcome.isChange());
        exchange.setProperty(STORED_BY, exchange.getExchangeId());
    }

    static String itemKey(Exchange exchange) {
        String key = exchange.getMessage().getHeader(RunHeaders.ITEM_KEY, String.class);
        if (key == null) {
            key = exchange.getProperty(LastHttpUri.PROPERTY, String.class);
        }
        if (key == null) {
            throw new IllegalStateException("caravan:store needs an item key: set the header " + RunHeaders.ITEM_KEY
                    + " (e.g. setHeader: {name: CaravanItemKey, simple: \"${body}\"}) or call an HTTP endpoint first");
        }
        return key;
    }
}
