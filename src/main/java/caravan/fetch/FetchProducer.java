package caravan.fetch;

import caravan.http.Backoff;
import caravan.http.RetryAfter;
import caravan.runs.ActiveRun;
import caravan.runs.RunHeaders;
import caravan.store.RunContext;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.ObjectHelper;

/** Starts one {@link FetchRun} per exchange: the exchange waits, holding no thread, until every item has ended. */
final class FetchProducer extends DefaultAsyncProducer {

    private final FetchEndpoint endpoint;
    private final FetchParts parts;
    private final Backoff backoff;
    private final RetryAfter retryAfter = new RetryAfter(Clock.systemUTC());

    FetchProducer(FetchEndpoint endpoint, FetchParts parts) {
        super(endpoint);
        this.endpoint = endpoint;
        this.parts = parts;
        this.backoff = parts.retry() == null ? null : new Backoff(parts.retry(), () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        FetchRun fetch;
        try {
            if (parts.http() == null) {
                throw new IllegalStateException("caravan:fetch runs in the Caravan daemon only (it uses its HTTP client and stores)");
            }
            String runId = RunContext.runId(exchange);
            ActiveRun run = parts.runs().get(runId);
            if (run == null) {
                throw new IllegalStateException("caravan:fetch is used outside a job run (no " + RunHeaders.RUN_ID
                        + "): call it from a route whose from: is a quartz: endpoint, or a route that such a job calls");
            }
            Iterator<?> items = ObjectHelper.createIterator(exchange.getMessage().getBody(), endpoint.getDelimiter(), false);
            boolean robots = endpoint.getRobotsTxt() != null ? endpoint.getRobotsTxt() : parts.http().robotsTxtByDefault();
            fetch = new FetchRun(exchange, callback, run, items, endpoint, parts, robots, backoff, retryAfter);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        fetch.feed();
        return false;
    }
}
