package caravan.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.TypeConverter;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpConstants;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.http.HttpEntityConverter;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.component.http.helper.HttpMethodHelper;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.http.base.cookie.CookieHandler;
import org.apache.camel.http.common.HttpHelper;
import org.apache.camel.http.common.HttpProtocolHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.MessageHelper;
import org.apache.camel.support.ObjectHelper;
import org.apache.camel.support.http.HttpUtil;
import org.apache.camel.util.IOHelper;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.UnsafeUriCharactersEncoder;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.utils.URIUtils;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends a camel-http endpoint's requests through the {@link AsyncHttpTransport}: the exchange waits as a callback,
 * holding no thread, until the answer is in. The message on both sides is what camel-http's own producer makes of
 * it (URL and method from the same headers, request headers through the endpoint's header filter, cookies, the
 * response's status, headers and body, {@link HttpOperationFailedException} outside the OK range), so a job cannot
 * tell the two apart. What this producer does not do ({@link #handles(HttpEndpoint)}, {@link #handles(Exchange)})
 * is left to camel-http's producer.
 */
final class AsyncHttpProducer {

    /** The encodings {@link #decompress} decodes, asked for on every request that does not name its own. */
    static final String ACCEPT_ENCODING = "gzip, x-gzip, deflate";

    private final HttpEndpoint endpoint;
    private final AsyncHttpTransport transport;
    private final HeaderFilterStrategy protocolHeaders = RememberedHeaderFilter.of(new HttpProtocolHeaderFilterStrategy());
    /** The endpoint's header filter (its options are set before a producer exists). */
    private final HeaderFilterStrategy headers;
    private final RequestConfig requestConfig;
    private final boolean cookies;
    private final URI defaultUri;
    private final HttpHost defaultHost;

    AsyncHttpProducer(HttpEndpoint endpoint, AsyncHttpTransport transport) throws URISyntaxException {
        this.endpoint = endpoint;
        this.transport = transport;
        this.defaultUri = defaultUri(endpoint);
        this.defaultHost = URIUtils.extractHost(defaultUri);
        this.requestConfig = RequestConfig.custom()
                .setRedirectsEnabled(followsRedirects(endpoint))
                .setResponseTimeout(timeout(endpoint.getResponseTimeout()))
                .setConnectionRequestTimeout(timeout(endpoint.getConnectionRequestTimeout()))
                .build();
        this.cookies = !endpoint.getComponent().isCookieManagementDisabled();
        this.headers = RememberedHeaderFilter.of(endpoint.getHeaderFilterStrategy());
    }

    /**
     * Whether every option of the endpoint means the same here as in camel-http: authentication, proxies, TLS
     * parameters, client configurers, bridging, streaming and the other rarer options stay with camel-http.
     */
    static boolean handles(HttpEndpoint e) {
        return handlesComponent(e.getComponent())
                && e.getAuthMethod() == null && e.getAuthUsername() == null && e.getAuthBearerToken() == null
                && e.getProxyHost() == null && e.getProxyAuthHost() == null && e.getProxyAuthUsername() == null
                && e.getHttpClientConfigurer() == null && e.getSslContextParameters() == null && e.getHttpContext() == null
                && !e.isUseSystemProperties() && !e.isBridgeEndpoint() && !e.isPreserveHostHeader()
                && e.getCustomHostHeader() == null && !e.isGetWithBody() && !e.isDeleteWithBody()
                && !e.isDisableStreamCache() && !e.isTransferException() && !e.isSkipRequestHeaders()
                && !e.isSkipResponseHeaders() && !e.isSkipControlHeaders() && !e.isIgnoreResponseBody()
                && !e.isMultipartUpload() && !e.isLogHttpActivity() && !e.isConnectionClose()
                && e.getConnectTimeout() == e.getComponent().getConnectTimeout()
                && e.getSoTimeout() == e.getComponent().getSoTimeout()
                && isEmpty(e.getHttpClientOptions()) && isEmpty(e.getHttpConnectionOptions());
    }

    /** Whether the component has none of the settings (a proxy, TLS parameters, ...) that stay with camel-http. */
    static boolean handlesComponent(HttpComponent c) {
        return settingLeftToCamelHttp(c) == null;
    }

    /** The component's first setting that only camel-http's own client applies, by its property name; else null. */
    static String settingLeftToCamelHttp(HttpComponent c) {
        return c.getProxyHost() != null ? "proxy-host"
                : c.getHttpClientConfigurer() != null ? "http-client-configurer"
                : c.getSslContextParameters() != null ? "ssl-context-parameters"
                : c.isUseGlobalSslContextParameters() ? "use-global-ssl-context-parameters"
                : c.getHttpContext() != null ? "http-context"
                : c.isContentCompressionDisabled() ? "content-compression-disabled"
                : c.isAllowJavaSerializedObject() ? "allow-java-serialized-object"
                : null;
    }

    private static boolean isEmpty(Map<?, ?> options) {
        return options == null || options.isEmpty();
    }

    /**
     * Whether this exchange's request is one this producer makes as camel-http would: HTTP/1.1, and a body that is
     * text or bytes, or that is not sent (a GET's).
     */
    boolean handles(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        if (in.getHeader(HttpConstants.HTTP_PROTOCOL_VERSION) != null
                || HttpConstants.CONTENT_TYPE_JAVA_SERIALIZED_OBJECT.equals(in.getHeader(Exchange.CONTENT_TYPE))) {
            return false;
        }
        Object body = in.getBody();
        return body == null || body instanceof String || body instanceof byte[]
                || !HttpMethodHelper.createMethod(exchange, endpoint).isEntityEnclosing();
    }

    /**
     * The URI camel-http would send this exchange's request to: the endpoint's own unless a header changes it (a
     * {@code toD} to a URL with a path or query puts them in headers). Worked out once per attempt and given to
     * {@link #send}, since the politeness checks need it first.
     */
    URI requestUri(Exchange exchange) throws Exception {
        return overridesUrl(exchange.getIn()) ? camelHttpUri(exchange, endpoint) : defaultUri;
    }

    /** The URI as camel-http works it out from the endpoint and the message's headers, each time. */
    static URI camelHttpUri(Exchange exchange, HttpEndpoint endpoint) throws Exception {
        return HttpHelper.createURI(exchange, HttpHelper.createURL(exchange, endpoint), endpoint);
    }

    /** Runs what a job does next off the client's I/O threads, as the answer to a request would be. */
    void continueWith(Runnable task) {
        transport.continueWith(task);
    }

    /**
     * Sends the request to {@code uri} (from {@link #requestUri}). {@code replied} gets the reply's status (null when
     * none came) on the client's I/O thread as soon as the reply is in, and must be quick; {@code callback} is called
     * with false once the answer is on the exchange, off the I/O threads.
     */
    void send(Exchange exchange, URI uri, Consumer<Integer> replied, AsyncCallback callback) {
        SimpleHttpRequest request;
        HttpHost host;
        try {
            request = createRequest(exchange, uri);
            host = hostOf(request.getUri());
        } catch (Exception e) {
            exchange.setException(e);
            replied.accept(null);
            transport.continueWith(() -> callback.done(false));
            return;
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        if (cookies) {
            if (endpoint.isClearExpiredCookies()) {
                endpoint.getCookieStore().clearExpired(new Date());
            }
            context.setCookieStore(endpoint.getCookieStore());
        } else {
            context.setCookieStore(NoCookies.JAR);
        }
        HttpActivityListener listener = endpoint.getHttpActivityListener();
        if (listener != null) {
            listener.onRequestSubmitted(endpoint, exchange, host, request, entityOf(request.getBodyBytes(), request.getContentType()));
        }
        long started = System.nanoTime();
        transport.client().execute(SimpleRequestProducer.create(request), new BufferingResponseConsumer(), context,
                new FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        // handed on before the slot is given back, so that the limiter counts the reply throughout
                        transport.continueWith(() -> {
                            try {
                                decompress(response);
                                if (listener != null) {
                                    listener.onResponseReceived(endpoint, exchange, host, response,
                                            entityOf(response.getBodyBytes(), response.getContentType()),
                                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                                }
                                handleResponse(exchange, request, response);
                            } catch (Exception e) {
                                exchange.setException(e);
                            } finally {
                                callback.done(false);
                            }
                        });
                        replied.accept(response.getCode());
                    }

                    @Override
                    public void failed(Exception e) {
                        transport.continueWith(() -> {
                            exchange.setException(e);
                            callback.done(false);
                        });
                        replied.accept(null);
                    }

                    @Override
                    public void cancelled() {
                        failed(new IOException("HTTP request to " + request.getRequestUri() + " was cancelled"));
                    }
                });
    }

    private SimpleHttpRequest createRequest(Exchange exchange, URI uri) throws Exception {
        Message in = exchange.getIn();
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Invalid url: " + uri + ": it needs a scheme and a host");
        }
        HttpMethods method = HttpMethodHelper.createMethod(exchange, endpoint);
        SimpleHttpRequest request = new SimpleHttpRequest(method.name(), uri);
        copyRequestHeaders(exchange, request);
        if (method.isEntityEnclosing() && (in.getBody() instanceof String || in.getBody() instanceof byte[])) {
            HttpEntity entity = in.getBody() instanceof String text
                    ? textEntity(exchange, text)
                    : HttpEntityConverter.toHttpEntity((byte[]) in.getBody(), exchange);
            String type = entity.getContentType();
            request.setBody(EntityUtils.toByteArray(entity), type == null ? null : ContentType.parse(type));
        }
        CookieHandler cookieHandler = endpoint.getCookieHandler();
        if (cookieHandler != null) {
            for (Map.Entry<String, List<String>> cookie : cookieHandler.loadCookies(exchange, uri).entrySet()) {
                if (!cookie.getValue().isEmpty()) {
                    request.addHeader(cookie.getKey(), String.join(";", cookie.getValue()));
                }
            }
        }
        if (endpoint.getUserAgent() != null && !request.containsHeader("User-Agent")) {
            request.setHeader("User-Agent", endpoint.getUserAgent());
        }
        if (!request.containsHeader("Accept-Encoding")) {
            request.setHeader("Accept-Encoding", ACCEPT_ENCODING);
        }
        return request;
    }

    /**
     * A text body as camel-http encodes it: gzipped when the message says so, else in the charset of the exchange or
     * of its content type (no default charset is added: a form's server may read it as its own default).
     */
    private static HttpEntity textEntity(Exchange exchange, String text) throws Exception {
        HttpEntity gzipped = HttpEntityConverter.toHttpEntity(text, exchange);
        if (gzipped != null) {
            return gzipped;
        }
        String typeText = ExchangeHelper.getContentType(exchange);
        ContentType type = null;
        if (typeText != null) {
            type = typeText.contains("charset") || typeText.contains(";") ? ContentType.parse(typeText) : ContentType.create(typeText);
        }
        String charset = ExchangeHelper.getCharsetName(exchange, false);
        if (charset == null && type != null && type.getCharset() != null) {
            charset = type.getCharset().name();
        }
        if (type != null && type.getCharset() == null && charset != null) {
            type = ContentType.parse(type + ";charset=" + charset);
        }
        return new StringEntity(text, type, false);
    }

    /** As camel-http decides: the endpoint's {@code followRedirects} option if it has one, else the component's. */
    static boolean followsRedirects(HttpEndpoint endpoint) {
        if (endpoint.getComponent().isRedirectHandlingDisabled()) {
            return false;
        }
        return endpoint.getEndpointUri().contains("followRedirects=") ? endpoint.isFollowRedirects()
                : endpoint.getComponent().isFollowRedirects();
    }

    /** The endpoint's host when the request goes there (the usual case, even with a path header): parsed once. */
    private HttpHost hostOf(URI uri) {
        if (defaultHost != null && uri.getPort() == defaultUri.getPort() && uri.getScheme().equals(defaultUri.getScheme())
                && uri.getHost().equals(defaultUri.getHost())) {
            return defaultHost;
        }
        return URIUtils.extractHost(uri);
    }

    /** The endpoint's own URL, encoded as camel-http encodes it. */
    private static URI defaultUri(HttpEndpoint endpoint) throws URISyntaxException {
        URI uri = new URI(UnsafeUriCharactersEncoder.encodeHttpURI(endpoint.getHttpUri().toASCIIString()));
        String query = endpoint.getHttpUri().getRawQuery();
        if (query == null) {
            query = uri.getRawQuery();
        }
        return query == null ? uri : URISupport.createURIWithQuery(uri, UnsafeUriCharactersEncoder.encodeHttpURI(query));
    }

    /** The headers with which camel-http builds the URL anew instead of using the endpoint's. */
    private static boolean overridesUrl(Message in) {
        return in.getHeader(HttpConstants.REST_HTTP_URI) != null || in.getHeader(HttpConstants.HTTP_URI) != null
                || in.getHeader(HttpConstants.HTTP_PATH) != null || in.getHeader(HttpConstants.REST_HTTP_QUERY) != null
                || in.getHeader(HttpConstants.HTTP_RAW_QUERY) != null || in.getHeader(HttpConstants.HTTP_QUERY) != null;
    }

    /** The message's headers that the endpoint's filter lets out, one HTTP header per value, as camel-http sends them. */
    private void copyRequestHeaders(Exchange exchange, SimpleHttpRequest request) {
        HeaderFilterStrategy strategy = headers;
        if (strategy == null) {
            return;
        }
        TypeConverter converter = exchange.getContext().getTypeConverter();
        for (Map.Entry<String, Object> header : exchange.getIn().getHeaders().entrySet()) {
            String key = header.getKey();
            Object value = header.getValue();
            if (value == null) {
                continue;
            }
            if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Boolean
                    || value instanceof Date) {
                String text = value.toString();
                if (!strategy.applyFilterToCamelHeaders(key, text, exchange)) {
                    request.addHeader(key, text);
                }
                continue;
            }
            Iterator<?> values = ObjectHelper.createIterator(value, null, true);
            HttpUtil.applyHeader(strategy, exchange, values, converter, key, (multiValues, prev) -> {
                if (multiValues != null) {
                    request.addHeader(key, multiValues.size() > 1 ? multiValues.toString() : multiValues.get(0));
                } else if (prev != null) {
                    request.addHeader(key, prev);
                }
            });
        }
    }

    private void handleResponse(Exchange exchange, SimpleHttpRequest request, SimpleHttpResponse response) throws Exception {
        int code = response.getCode();
        boolean ok = HttpHelper.isStatusCodeOk(code, endpoint.getOkStatusCodeRange());
        if (!ok && endpoint.isThrowExceptionOnFailure()) {
            exchange.setException(failure(exchange, request, response));
            return;
        }
        Object body = body(exchange, response);
        Message answer = exchange.getOut();
        answer.setHeader(HttpConstants.HTTP_RESPONSE_CODE, code);
        if (response.getReasonPhrase() != null) {
            answer.setHeader(HttpConstants.HTTP_RESPONSE_TEXT, response.getReasonPhrase());
        }
        answer.setBody(body);
        HeaderFilterStrategy strategy = headers;
        CookieHandler cookieHandler = endpoint.getCookieHandler();
        Map<String, List<String>> cookieHeaders = cookieHandler == null ? null : new HashMap<>();
        boolean contentTypeSeen = false;
        for (Iterator<Header> it = response.headerIterator(); it.hasNext(); ) {
            Header header = it.next();
            String name = header.getName();
            String value = header.getValue();
            if (cookieHeaders != null) {
                cookieHeaders.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            if (!contentTypeSeen && name.equalsIgnoreCase("content-type")) {
                name = Exchange.CONTENT_TYPE;
                exchange.setProperty(ExchangePropertyKey.CHARSET_NAME, IOHelper.getCharsetNameFromContentType(value));
                contentTypeSeen = true;
            }
            Object extracted = HttpHelper.extractHttpParameterValue(value);
            if (strategy != null && !strategy.applyFilterToExternalHeaders(name, extracted, exchange)) {
                HttpHelper.appendHeader(answer.getHeaders(), name, extracted);
            }
        }
        if (cookieHandler != null) {
            cookieHandler.storeCookies(exchange, request.getUri(), cookieHeaders);
        }
        if (endpoint.isCopyHeaders()) {
            MessageHelper.copyHeaders(exchange.getIn(), answer, protocolHeaders, false);
        }
    }

    private Exception failure(Exchange exchange, SimpleHttpRequest request, SimpleHttpResponse response)
            throws Exception {
        Map<String, String> headers = headersOf(response);
        CookieHandler cookieHandler = endpoint.getCookieHandler();
        if (cookieHandler != null) {
            Map<String, List<String>> cookieHeaders = new HashMap<>();
            headers.forEach((name, value) -> cookieHeaders.put(name, List.of(value)));
            cookieHandler.storeCookies(exchange, request.getUri(), cookieHeaders);
        }
        Object body = body(exchange, response);
        String text = body == null ? null : exchange.getContext().getTypeConverter().convertTo(String.class, exchange, body);
        return operationFailed(request.getUri().toString(), response, headers, text);
    }

    /** The reply's headers, one value per name, as camel-http puts them on its failure. */
    static Map<String, String> headersOf(SimpleHttpResponse response) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : response.getHeaders()) {
            headers.put(header.getName(), header.getValue());
        }
        return headers;
    }

    /** The failure camel-http raises for a reply outside the OK range, with its redirect location if it is a 3xx. */
    static HttpOperationFailedException operationFailed(String uri, SimpleHttpResponse response, Map<String, String> headers,
            String body) {
        int code = response.getCode();
        Header location = response.getFirstHeader("location");
        String redirect = location != null && code >= 300 && code < 400 ? location.getValue() : null;
        return new HttpOperationFailedException(uri, code, response.getReasonPhrase(), redirect, headers, body);
    }

    /** The body as camel-http gives it: bytes, with the charset of its content type noted on the exchange. */
    private static Object body(Exchange exchange, SimpleHttpResponse response) {
        byte[] bytes = response.getBodyBytes();
        if (bytes == null) {
            return null;
        }
        Header type = response.getFirstHeader("content-type");
        if (type != null) {
            HttpHelper.setCharsetFromContentType(type.getValue(), exchange);
        }
        return bytes;
    }

    /**
     * Decodes a gzip or deflate body in place, and drops the headers that described the encoded body, as camel-http's
     * client does: a job sees the content, never the transfer form. Other encodings are left as they came.
     */
    static void decompress(SimpleHttpResponse response) throws IOException {
        Header encoding = response.getFirstHeader(HttpConstants.CONTENT_ENCODING);
        byte[] bytes = response.getBodyBytes();
        if (encoding == null || bytes == null) {
            return;
        }
        byte[] decoded = switch (encoding.getValue().trim().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    yield in.readAllBytes();
                }
            }
            case "deflate" -> inflate(bytes);
            default -> null;
        };
        if (decoded != null) {
            response.removeHeaders(HttpConstants.CONTENT_ENCODING);
            response.removeHeaders("Content-Length");
            response.removeHeaders("Content-MD5");
            response.setBody(decoded, response.getContentType());
        }
    }

    /** "deflate" is meant to be zlib-wrapped, but some servers send the raw stream: both are accepted. */
    private static byte[] inflate(byte[] bytes) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (ZipException raw) {
            try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater(true))) {
                return in.readAllBytes();
            }
        }
    }

    private static HttpEntity entityOf(byte[] bytes, ContentType type) {
        return bytes == null ? null : new ByteArrayEntity(bytes, type);
    }

    private static Timeout timeout(long millis) {
        return millis > 0 ? Timeout.ofMilliseconds(millis) : null;
    }
}
