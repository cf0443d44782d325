package caravan.fetch;

import caravan.http.Backoff;
import caravan.http.RetryAfter;
import caravan.runs.ActiveRun;
import caravan.runs.RunHeaders;
import caravan.store.RunContext;
import java.time.Clock;
import java.io.InputStream;
import java.io.Reader;
import java.util.Iterator;
import java.util.regex.Pattern;
import org.apache.camel.util.Scanner;
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
            Iterator<?> items = items(exchange, endpoint.getDelimiter());
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

    /**
     * The body's items. A reply's body (bytes or a stream, as an HTTP step leaves it) is text, split at the delimiter
     * as it is read: not one item per byte, nor the whole stream as one item.
     */
    static Iterator<?> items(Exchange exchange, String delimiter) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] || body instanceof InputStream || body instanceof Reader) {
            Reader text = exchange.getContext().getTypeConverter().convertTo(Reader.class, exchange, body);
            if (text != null) {
                return new Scanner(text, Pattern.quote(delimiter));
            }
        }
        return ObjectHelper.createIterator(body, delimiter, false);
    }
}
