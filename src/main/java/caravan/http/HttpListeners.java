package caravan.http;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/** camel-http takes one activity listener: this one passes each request and response to several. */
public final class HttpListeners implements HttpActivityListener {

    private final List<HttpActivityListener> listeners;

    private HttpListeners(List<HttpActivityListener> listeners) {
        this.listeners = listeners;
    }

    public static HttpActivityListener of(HttpActivityListener... listeners) {
        return new HttpListeners(List.of(listeners));
    }

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request, HttpEntity entity) {
        listeners.forEach(l -> l.onRequestSubmitted(source, exchange, host, request, entity));
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
            HttpEntity entity, long elapsed) {
        listeners.forEach(l -> l.onResponseReceived(source, exchange, host, response, entity, elapsed));
    }
}
