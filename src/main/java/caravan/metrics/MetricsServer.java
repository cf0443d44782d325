package caravan.metrics;

import caravan.config.MetricsSettings;
import caravan.jmx.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics} (Prometheus text) and {@code GET /health} (JSON, 503 when DOWN) on a loopback port by default. */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static MetricsServer start(MetricsSettings settings, CaravanMetrics metrics, Health health) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port());
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("Cannot serve metrics on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "): set caravan.metrics.port to a free port, or 0 to turn metrics off", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "caravan-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, metrics.scrape()));
        server.createContext("/health", ex -> {
            Health.Report report = health.check();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.up() ? "UP" : "DOWN");
            body.put("checks", report.checks());
            respond(ex, report.up() ? 200 : 503, "application/json", Json.write(body));
        });
        server.start();
        if (!address.getAddress().isLoopbackAddress()) {
            LOG.warn("Metrics and health are served without authentication on {}: keep that port behind a firewall", address);
        }
        LOG.info("Metrics on http://{}:{}/metrics, health on /health", settings.host(), server.getAddress().getPort());
        return new MetricsServer(server, executor);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
