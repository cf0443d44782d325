package caravan.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on 127.0.0.1 for tests, with canned answers per path and named misbehaviours (slow, 429 with
 * Retry-After, 503, status codes). Records every request: path, time, and the highest number in flight at once.
 */
public final class FixtureServer implements BeforeEachCallback, AfterEachCallback {

    static {
        // The JDK's server writes a reply's head and body apart; without TCP_NODELAY the body waits for the client's
        // delayed acknowledgement of the head (40 ms on Linux), so each request on a kept-alive connection took 40 ms.
        // Read once, when the JDK's server is first used in this JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as the server saw it. */
    public record Request(String method, String path, Map<String, List<String>> headers, long atNanos, byte[] body) {
    }

    /** Decides the answer to one request; {@code n} counts requests to that path, from 1. */
    @FunctionalInterface
    public interface Responder {
        Answer answer(int n, HttpExchange exchange) throws Exception;
    }

    /** Status, body, headers and an optional delay before answering. */
    public record Answer(int status, byte[] body, Map<String, String> headers, long delayMillis) {

        public static Answer ok(String body, String contentType) {
            return new Answer(200, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", contentType), 0);
        }

        public static Answer json(String body) {
            return ok(body, "application/json");
        }

        public static Answer html(String body) {
            return ok(body, "text/html; charset=utf-8");
        }

        public static Answer status(int status) {
            return new Answer(status, ("status " + status).getBytes(StandardCharsets.UTF_8), Map.of(), 0);
        }

        public static Answer retryAfter(int status, String retryAfter) {
            return new Answer(status, new byte[0], Map.of("Retry-After", retryAfter), 0);
        }

        public Answer delayed(long millis) {
            return new Answer(status, body, headers, millis);
        }
    }

    private final Map<String, Responder> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private HttpServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    public FixtureServer start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests whose path (without query) equals {@code path}, or starts with it when it ends in '*'. */
    public FixtureServer on(String path, Responder responder) {
        routes.put(path, responder);
        return this;
    }

    public FixtureServer onFixture(String path, String fixture, String contentType) {
        String body = Fixtures.read(fixture);
        return on(path, (n, ex) -> Answer.ok(body, contentType));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public int count(String path) {
        return requestsTo(path).size();
    }

    /** Requests received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were ever received and not yet answered at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String full = query == null ? path : path + "?" + query;
        long at = System.nanoTime();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (InputStream in = exchange.getRequestBody()) {
            requests.add(new Request(exchange.getRequestMethod(), full, Map.copyOf(exchange.getRequestHeaders()), at,
                    in.readAllBytes()));
            Responder responder = find(path, full);
            Answer answer = responder == null ? Answer.status(404)
                    : responder.answer(counts.computeIfAbsent(full, k -> new AtomicInteger()).incrementAndGet(), exchange);
            if (answer.delayMillis() > 0) {
                Thread.sleep(answer.delayMillis());
            }
            // Answered from here on: a client may send its next request the moment the reply is in, which can be
            // before this handler returns, so the count drops before the reply goes out.
            inFlight.decrementAndGet();
            counted = false;
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw new UncheckedIOException(new IOException(e));
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    private Responder find(String path, String full) {
        Responder exact = routes.get(full);
        if (exact != null) {
            return exact;
        }
        exact = routes.get(path);
        if (exact != null) {
            return exact;
        }
        return routes.entrySet().stream()
                .filter(e -> e.getKey().endsWith("*") && path.startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
