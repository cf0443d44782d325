package caravan.http;

import caravan.runs.RetryItems;
import caravan.runs.RunCutoff;
import java.net.URI;
import java.util.Locale;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Sends once the {@link HostLimiter} admits the request; until then the exchange waits as a queued callback. The
 * request goes out through the non-blocking {@link AsyncHttpProducer} when it handles the endpoint and the exchange,
 * else through camel-http's producer. Tells the limiter how long the request took and how the host answered. A run
 * that was cut off ({@link RunCutoff}) sends no new request: the item fails for good. A retry run sends no request of
 * an item it does not redo ({@link RetryItems#skips}).
 */
final class PoliteHttpProducer extends DefaultAsyncProducer {

    /** Requests sent for the current step of an item since its last success: its attempts, whatever error handler. */
    public static final String REQUESTS = "CaravanHttpRequests";

    private final HttpEndpoint http;
    private final AsyncProducer delegate;
    private final AsyncHttpProducer async;
    private final HostLimiter limiter;
    private final RobotsTxt robots;

    /** {@code async} is null when every request goes through camel-http's producer, {@code delegate}. */
    PoliteHttpProducer(PoliteHttpEndpoint endpoint, HttpEndpoint http, AsyncProducer delegate, AsyncHttpProducer async,
            HostLimiter limiter, RobotsTxt robots) {
        super(endpoint);
        this.http = http;
        this.delegate = delegate;
        this.async = async;
        this.limiter = limiter;
        this.robots = robots;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (cutOff(exchange)) {
            callback.done(true);
            return true;
        }
        methodAsEnum(exchange); // before handles(), which reads the method too
        URI target;
        try {
            // the URL the request goes to, query included (robots.txt rules may name one), made once per attempt
            target = async != null ? async.requestUri(exchange) : AsyncHttpProducer.camelHttpUri(exchange, http);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (RetryItems.skips(exchange, target.toString())) {
            exchange.setRouteStop(true); // a retry run redoes other items: this one goes no further, and is not counted
            callback.done(true);
            return true;
        }
        if (robots != null && robots.appliesTo(exchange) && !robots.allows(target)) {
            exchange.setException(new FailureKind.PermanentFailure("robots.txt of " + target.getHost()
                    + " disallows " + RobotsTxt.pathAndQuery(target) + " for this user agent: the item is not fetched"));
            callback.done(true);
            return true;
        }
        String host = hostKey(target);
        boolean nonBlocking;
        try {
            nonBlocking = async != null && async.handles(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        // A redelivery comes on the error handler's timer thread, which must never wait for room in the queue.
        boolean redelivery = isRedelivery(exchange);
        Runnable later = nonBlocking
                ? (HostLimiter.NonBlocking) () -> send(exchange, callback, target, host, false, true)
                : () -> send(exchange, callback, target, host, false, false);
        if (!(redelivery ? limiter.tryStartWithoutBlocking(host, later) : limiter.tryStart(host, later))) {
            return false;
        }
        if (redelivery) {
            // A redelivery runs on the error handler's timer thread: do not block it with the request.
            limiter.runOnOwnThread(() -> send(exchange, callback, target, host, false, nonBlocking));
            return false;
        }
        return send(exchange, callback, target, host, true, nonBlocking);
    }

    /** {@code nonBlocking}: through the non-blocking client to {@code target}, else camel-http's producer. */
    private boolean send(Exchange exchange, AsyncCallback callback, URI target, String host, boolean sync,
            boolean nonBlocking) {
        if (!sync && cutOff(exchange)) { // the run was cut off while the request waited for its slot
            limiter.notSent(host);
            if (nonBlocking) {
                async.continueWith(() -> callback.done(false)); // this may be the client's I/O thread
            } else {
                callback.done(false);
            }
            return false;
        }
        long t0 = System.nanoTime();
        exchange.setProperty(REQUESTS, exchange.getProperty(REQUESTS, 0, Integer.class) + 1);
        try {
            if (nonBlocking) {
                // The host's slot is given back as soon as the reply is in, on the client's thread: the next request
                // to the host goes out while this reply is still being turned into the exchange, instead of after
                // every reply queued before it for the HTTP pool's threads.
                async.send(exchange, target, status -> limiter.finished(host, System.nanoTime() - t0, status), done -> {
                    if (exchange.getException() == null) {
                        forgetRedeliveries(exchange);
                    }
                    callback.done(false);
                });
                return false;
            }
            AsyncCallback finished = done -> {
                limiter.finished(host, System.nanoTime() - t0, statusOf(exchange));
                if (exchange.getException() == null) {
                    forgetRedeliveries(exchange);
                }
                callback.done(sync && done);
            };
            boolean doneSync = delegate.process(exchange, finished);
            return sync && doneSync;
        } catch (Throwable t) {
            limiter.finished(host, System.nanoTime() - t0, null);
            exchange.setException(t);
            callback.done(sync);
            return sync;
        }
    }

    /** Whether the item's run was cut off (its timeout, or cancelled); if so the exchange has failed for good. */
    private static boolean cutOff(Exchange exchange) {
        RunCutoff cutoff = RunCutoff.of(exchange);
        String refusal = cutoff == null ? null : cutoff.refusal();
        if (refusal != null) {
            exchange.setException(new FailureKind.PermanentFailure(refusal));
        }
        return refusal != null;
    }

    /**
     * camel-http reads {@code CamelHttpMethod} as its enum, and converting the text a route sets ({@code GET}) costs a
     * slow type-converter look-up on every request: give it the enum.
     */
    static void methodAsEnum(Exchange exchange) {
        if (exchange.getIn().getHeader(Exchange.HTTP_METHOD) instanceof String text) {
            try {
                exchange.getIn().setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(text.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException notAMethod) {
                // left as it is: camel-http reports it
            }
        }
    }

    static boolean isRedelivery(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getIn().getHeader(Exchange.REDELIVERED, Boolean.class));
    }

    static String hostKey(URI uri) {
        String host = uri.getHost() == null ? String.valueOf(uri.getAuthority()) : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return host + ":" + port;
    }

    static Integer statusOf(Exchange exchange) {
        Integer status = FailureKind.httpStatus(exchange.getException());
        if (status != null) {
            return status;
        }
        return exchange.getException() != null ? null
                : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    /**
     * A request that succeeded ends its step's redelivery story, so that a later failing step of the same item counts
     * its own attempts from one.
     */
    static void forgetRedeliveries(Exchange exchange) {
        exchange.getIn().removeHeader(Exchange.REDELIVERY_COUNTER);
        exchange.getIn().removeHeader(Exchange.REDELIVERED);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_MAX_COUNTER);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        exchange.removeProperty(REQUESTS);
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(delegate);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(delegate);
    }
}
