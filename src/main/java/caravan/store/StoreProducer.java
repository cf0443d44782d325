package caravan.store;

import caravan.config.Secrets;
import caravan.runs.ActiveRun;
import caravan.runs.ActiveRuns;
import caravan.runs.RunHeaders;
import caravan.http.LastHttpUri;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Stores the body with the run's job and run ids; the item key comes from {@code CaravanItemKey} or the last HTTP URI. */
final class StoreProducer extends DefaultProducer {

    /** Set on the message after storing: whether the item is new or its content changed. */
    static final String CHANGED_HEADER = "CaravanChanged";
    /** Set after storing: the id of the exchange that stored its item (so a later failure is not a dead letter). */
    static final String STORED_BY = "CaravanStoredBy";

    private final StoreEndpoint endpoint;
    private final ResultStore results;
    private final ActiveRuns runs;
    private final Secrets secrets;

    StoreProducer(StoreEndpoint endpoint, ResultStore results, ActiveRuns runs, Secrets secrets) {
        super(endpoint);
        this.endpoint = endpoint;
        this.results = results;
        this.runs = runs;
        this.secrets = secrets;
    }

    @Override
    public void process(Exchange exchange) {
        String runId = RunContext.runId(exchange);
        ActiveRun run = runs.get(runId);
        if (run == null) {
            throw new IllegalStateException("caravan:store is used outside a job run (no " + RunHeaders.RUN_ID
                    + "): call it from a route whose from: is a quartz: endpoint, or a route that such a job calls");
        }
        String itemKey = secrets.mask(itemKey(exchange));
        String payload = Payloads.toText(exchange.getMessage().getBody());
        ResultStore.Outcome outcome = results.store(
                new ResultStore.NewResult(run.run().jobId(), runId, itemKey, payload, Instant.now()), endpoint.isSkipUnchanged());
        run.counts().stored(outcome.isChange());
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
