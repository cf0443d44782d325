package caravan.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/** Times every HTTP response by host and status code ({@code caravan_http_requests_seconds}). */
public final class HttpMetrics implements HttpActivityListener {

    private final MeterRegistry registry;
    /**
     * Host and status to its timer: building and registering a timer per response cost ~2% of a large fan-out, and
     * even the host's name built for each response as a key cost 1%.
     */
    private final Map<HostStatus, Timer> timers = new ConcurrentHashMap<>();

    private record HostStatus(HttpHost host, int status) {
    }

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request, HttpEntity entity) {
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
            HttpEntity entity, long elapsed) {
        timers.computeIfAbsent(new HostStatus(host, response.getCode()), this::timer)
                .record(Math.max(0, elapsed), TimeUnit.MILLISECONDS);
    }

    private Timer timer(HostStatus key) {
        HttpHost host = key.host();
        String hostName = host == null ? "unknown" : host.getHostName() + (host.getPort() > 0 ? ":" + host.getPort() : "");
        return Timer.builder("caravan.http.requests")
                .description("HTTP requests by host and status code, with latency")
                .tags("host", hostName, "status", Integer.toString(key.status())).register(registry);
    }
}
