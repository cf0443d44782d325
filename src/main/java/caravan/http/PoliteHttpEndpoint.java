package caravan.http;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.support.DefaultInterceptSendToEndpoint;

/**
 * A camel-http endpoint whose producer waits for the {@link HostLimiter} before each request, and sends it without
 * holding a thread ({@link AsyncHttpProducer}) where that means the same as camel-http's blocking producer.
 */
final class PoliteHttpEndpoint extends DefaultInterceptSendToEndpoint {

    private final HttpEndpoint http;
    private final HostLimiter limiter;
    private final RobotsTxt robots;
    private final AsyncHttpTransport transport;

    /** {@code transport} is null when requests go through camel-http's own (blocking) client only. */
    PoliteHttpEndpoint(HttpEndpoint http, HostLimiter limiter, RobotsTxt robots, AsyncHttpTransport transport) {
        super(http, false);
        this.http = http;
        this.limiter = limiter;
        this.robots = robots;
        this.transport = transport;
    }

    @Override
    public Producer createProducer() throws Exception {
        return createAsyncProducer();
    }

    @Override
    public AsyncProducer createAsyncProducer() throws Exception {
        AsyncHttpProducer async = transport != null && AsyncHttpProducer.handles(http)
                ? new AsyncHttpProducer(http, transport) : null;
        return new PoliteHttpProducer(this, http, http.createAsyncProducer(), async, limiter, robots);
    }
}
