package caravan.http;

import caravan.runs.RunCutoff;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.utils.URIUtils;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpStatus;

/**
 * A GET outside any exchange, under the politeness every job's HTTP endpoints have (robots.txt when asked, the
 * {@link HostLimiter}'s caps and delays) and through the same non-blocking client: for a step that fans out without
 * an exchange per item. A request waiting for its turn is a queued callback, one in flight holds no thread.
 */
public final class PoliteGet {

    /**
     * What a 2xx reply brought: the body decoded from gzip or deflate, its content type's charset, if named, and for a
     * conditional GET its validators (null when it has none). Or a 304 to a conditional GET: no body, and the
     * validators it was sent with.
     */
    public record Reply(int status, byte[] body, String charset, Validators validators) {

        /** The site says the content is the one the request's validators came with. */
        public boolean notModified() {
            return status == HttpStatus.SC_NOT_MODIFIED;
        }
    }

    /** Called once per request: a reply, or why there is none. */
    public interface Answer {
        /** Off the client's I/O threads. */
        void accept(Reply reply, Throwable failure);

        /**
         * On the client's I/O thread, for a 2xx reply with nothing to decode: handles it there and returns true if
         * that cannot block (a thread per reply costs more CPU than the handling), else returns false and
         * {@link #accept} is called with it off that thread. By default: false.
         */
        default boolean acceptOnIoThread(Reply reply) {
            return false;
        }
    }

    private final HostLimiter limiter;
    private final RobotsTxt robots;
    private final AsyncHttpTransport transport;
    private final String userAgent;
    private final RequestConfig requestConfig;
    /** camel-http's {@code http} component, for its activity listener (the metrics) and cookie setting; may be null. */
    private final Supplier<HttpComponent> http;

    PoliteGet(HostLimiter limiter, RobotsTxt robots, AsyncHttpTransport transport, String userAgent,
            boolean followRedirects, Supplier<HttpComponent> http) {
        this.limiter = limiter;
        this.robots = robots;
        this.transport = transport;
        this.userAgent = userAgent;
        this.http = http;
        this.requestConfig = RequestConfig.custom().setRedirectsEnabled(followRedirects).build();
    }

    /**
     * A setting of camel-http's component that these GETs would not apply, since only camel-http's own client does
     * (a proxy, TLS parameters, a client configurer, ...), by its property name; null when they apply all of them.
     */
    public static String settingNotApplied(HttpComponent component) {
        return AsyncHttpProducer.settingLeftToCamelHttp(component);
    }

    /** Whether robots.txt is respected when a step does not say. */
    public boolean robotsTxtByDefault() {
        return robots.byDefault();
    }

    /**
     * Sends one GET once robots.txt (if {@code respectRobotsTxt}) and the limiter allow it; {@code cookies} are the
     * ones it sends and the ones its reply sets go to (the client's own jar would share them across runs and jobs,
     * and keep every cookie any site ever set), unless camel-http's cookie management is off. A GET that waits for its
     * turn past the run's {@code cutoff} (null: none) is not sent. A {@code conditional} GET reads its reply's
     * validators, and sends {@code sent} (null: none yet) as If-None-Match and If-Modified-Since; a 304 to it is a
     * reply, not a failure.
     */
    public void get(URI uri, boolean respectRobotsTxt, CookieStore cookies, RunCutoff cutoff, boolean conditional,
            Validators sent, Answer answer) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            answer.accept(null, new FailureKind.PermanentFailure("Invalid url: " + uri + ": it needs a scheme and a host"));
            return;
        }
        if (respectRobotsTxt && !robots.allows(uri)) {
            answer.accept(null, new FailureKind.PermanentFailure("robots.txt of " + uri.getHost() + " disallows "
                    + RobotsTxt.pathAndQuery(uri) + " for this user agent: the item is not fetched"));
            return;
        }
        String host = PoliteHttpProducer.hostKey(uri);
        HostLimiter.NonBlocking queued = () -> {
            String refusal = cutoff == null ? null : cutoff.refusal();
            if (refusal == null) {
                send(uri, host, cookies, conditional, sent, answer);
            } else {
                limiter.notSent(host);
                transport.continueWith(() -> answer.accept(null, new FailureKind.PermanentFailure(refusal)));
            }
        };
        if (limiter.tryStart(host, queued)) {
            send(uri, host, cookies, conditional, sent, answer);
        }
    }

    private void send(URI uri, String host, CookieStore cookies, boolean conditional, Validators sent, Answer answer) {
        SimpleHttpRequest request = new SimpleHttpRequest("GET", uri);
        request.setHeader("User-Agent", userAgent);
        request.setHeader("Accept-Encoding", AsyncHttpProducer.ACCEPT_ENCODING);
        if (sent != null && sent.etag() != null) {
            request.setHeader(HttpHeaders.IF_NONE_MATCH, sent.etag());
        }
        if (sent != null && sent.lastModified() != null) {
            request.setHeader(HttpHeaders.IF_MODIFIED_SINCE, sent.lastModified());
        }
        HttpHost target = targetOf(uri, host);
        HttpComponent component = http.get();
        HttpActivityListener activity = component == null ? null : component.getHttpActivityListener();
        if (activity != null) {
            activity.onRequestSubmitted(this, null, target, request, null);
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        context.setCookieStore(component != null && component.isCookieManagementDisabled() ? NoCookies.JAR : cookies);
        long started = System.nanoTime();
        transport.client().execute(SimpleRequestProducer.create(request), new BufferingResponseConsumer(), context,
                new FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        long elapsed = System.nanoTime() - started;
                        limiter.finished(host, elapsed, response.getCode());
                        if (isPlainSuccess(response)) {
                            received(activity, target, response, elapsed);
                            Reply reply = replyOf(uri, response, conditional);
                            if (!answer.acceptOnIoThread(reply)) {
                                transport.continueWith(() -> answer.accept(reply, null));
                            }
                            return;
                        }
                        transport.continueWith(() -> {
                            Reply reply;
                            try {
                                AsyncHttpProducer.decompress(response);
                                received(activity, target, response, elapsed);
                                reply = sent != null && response.getCode() == HttpStatus.SC_NOT_MODIFIED
                                        ? new Reply(HttpStatus.SC_NOT_MODIFIED, new byte[0], null, sent)
                                        : replyOrFailure(uri, response, conditional);
                            } catch (Exception e) {
                                answer.accept(null, e);
                                return;
                            }
                            answer.accept(reply, null);
                        });
                    }

                    @Override
                    public void failed(Exception e) {
                        limiter.finished(host, System.nanoTime() - started, null);
                        transport.continueWith(() -> answer.accept(null, e));
                    }

                    @Override
                    public void cancelled() {
                        failed(new IOException("HTTP request to " + uri + " was cancelled"));
                    }
                });
    }

    /** The last request's target, kept: a fan-out mostly goes to one host, and parsing it again cost 2% of the CPU. */
    private record Target(String scheme, String hostKey, HttpHost host) {
    }

    private volatile Target lastTarget;

    private HttpHost targetOf(URI uri, String hostKey) {
        Target last = lastTarget;
        if (last != null && last.hostKey().equals(hostKey) && last.scheme().equalsIgnoreCase(uri.getScheme())) {
            return last.host();
        }
        HttpHost host = URIUtils.extractHost(uri);
        lastTarget = new Target(uri.getScheme(), hostKey, host);
        return host;
    }

    private void received(HttpActivityListener activity, HttpHost target, SimpleHttpResponse response, long elapsedNanos) {
        if (activity != null) {
            activity.onResponseReceived(this, null, target, response, null, TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
        }
    }

    /** A 2xx reply that is not compressed: nothing to decode or raise, so cheap enough for an I/O thread. */
    private static boolean isPlainSuccess(SimpleHttpResponse response) {
        return response.getCode() >= 200 && response.getCode() < 300
                && response.getFirstHeader(HttpHeaders.CONTENT_ENCODING) == null;
    }

    /** A 2xx reply, or the failure camel-http would raise for it (so that retries and dead letters read it alike). */
    private static Reply replyOrFailure(URI uri, SimpleHttpResponse response, boolean conditional)
            throws HttpOperationFailedException {
        if (response.getCode() >= 200 && response.getCode() < 300) {
            return replyOf(uri, response, conditional);
        }
        throw AsyncHttpProducer.operationFailed(uri.toString(), response, AsyncHttpProducer.headersOf(response),
                response.getBodyText());
    }

    private static Reply replyOf(URI uri, SimpleHttpResponse response, boolean conditional) {
        byte[] body = response.getBodyBytes();
        return new Reply(response.getCode(), body == null ? new byte[0] : body,
                response.getContentType() == null || response.getContentType().getCharset() == null ? null
                        : response.getContentType().getCharset().name(),
                conditional ? Validators.of(uri.toString(), valueOf(response, HttpHeaders.ETAG),
                        valueOf(response, HttpHeaders.LAST_MODIFIED)) : null);
    }

    private static String valueOf(SimpleHttpResponse response, String header) {
        Header h = response.getFirstHeader(header);
        return h == null || h.getValue() == null || h.getValue().isBlank() ? null : h.getValue().trim();
    }
}
