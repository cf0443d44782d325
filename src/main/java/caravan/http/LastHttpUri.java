package caravan.http;

import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Remembers on the exchange the URI each HTTP request really went to (after {@code toD} and header rewriting), so
 * that {@code caravan:store} can key results by it and {@code caravan:extract} can resolve relative links.
 */
public final class LastHttpUri implements HttpActivityListener {

    public static final String PROPERTY = "CaravanHttpUri";

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request, HttpEntity entity) {
        if (exchange != null) {
            String path = request.getRequestUri();
            exchange.setProperty(PROPERTY, path.startsWith("http") ? path : host.toURI() + path);
        }
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
            HttpEntity entity, long elapsed) {
    }
}
