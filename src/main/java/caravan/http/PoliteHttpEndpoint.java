package caravan.http;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.support.DefaultInterceptSendToEndpoint;

/** A camel-http endpoint whose producer waits for the {@link HostLimiter} before each request. */
final class PoliteHttpEndpoint extends DefaultInterceptSendToEndpoint {

    private final HttpEndpoint http;
    private final HostLimiter limiter;
    private final RobotsTxt robots;

    PoliteHttpEndpoint(HttpEndpoint http, HostLimiter limiter, RobotsTxt robots) {
        super(http, false);
        this.http = http;
        this.limiter = limiter;
        this.robots = robots;
    }

    @Override
    public Producer createProducer() throws Exception {
        return createAsyncProducer();
    }

    @Override
    public AsyncProducer createAsyncProducer() throws Exception {
        return new PoliteHttpProducer(this, http, http.createAsyncProducer(), limiter, robots);
    }
}
