package caravan.cli;

import caravan.daemon.Daemon;
import caravan.daemon.DaemonOptions;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The training run of the JVM's ahead-of-time cache (Java 25+, {@code -XX:AOTCacheOutput}): the launcher runs it once
 * per build, and later starts of the daemon find the classes of start-up and of a fan-out run already loaded and
 * linked. On two cores that halved the start and shortened the first run after it (bench/README.md).
 * <p>
 * It is a real daemon in a scratch folder: a fan-out job (streaming split, parallel GETs, {@code caravan:store}, one
 * item dead-lettered) against a loopback server, triggered over JMX as the CLI does. None of the user's
 * configuration, routes, database or environment is read, and the scratch folder is deleted.
 */
public final class AotTraining {

    static final int RUNS = 4;
    static final int ITEMS = 400;
    static final String JOB = "training-fanout";

    private AotTraining() {
    }

    public static void run(PrintStream out) throws Exception {
        Path home = Files.createTempDirectory("caravan-aot-training");
        HttpServer server = loopbackServer();
        ExecutorService handlers = Executors.newFixedThreadPool(8);
        server.setExecutor(handlers);
        server.start();
        try {
            int jmxPort = freePort();
            Path config = home.resolve("application.properties");
            Files.createDirectories(home.resolve("routes"));
            Files.writeString(home.resolve("routes/training.yaml"), route(), StandardCharsets.UTF_8);
            Files.writeString(config, String.join("\n",
                    "caravan.jmx.port=" + jmxPort,
                    "caravan.metrics.port=" + freePort(),
                    "caravan.fanout.concurrency=50",
                    "caravan.http.max-per-host=50",
                    "caravan.retry.max-attempts=1",
                    "caravan.shutdown-timeout=10s",
                    "training.base=http://127.0.0.1:" + server.getAddress().getPort(),
                    "training.items=" + IntStream.range(0, ITEMS).mapToObj(Integer::toString).collect(Collectors.joining(","))
                            + ",missing",
                    ""), StandardCharsets.UTF_8);
            Daemon daemon = Daemon.start(new DaemonOptions(home.resolve("routes"), config, home.resolve("data"), Map.of(), Map.of()));
            try (JmxClient jmx = JmxClient.connect(new JmxAddress("127.0.0.1", jmxPort), null, null)) {
                for (int i = 1; i <= RUNS; i++) {
                    String runId = jmx.call(j -> j.trigger(JOB));
                    String end = jmx.call(j -> j.awaitRun(runId, 60_000));
                    if (end == null) {
                        throw new IllegalStateException("training run " + runId + " did not end within a minute");
                    }
                    out.println("training run " + i + " of " + RUNS + ": " + end);
                }
            } finally {
                daemon.stop();
            }
        } finally {
            server.stop(0);
            handlers.shutdownNow();
            deleteTree(home);
        }
    }

    private static String route() {
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:training/fanout
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "{{training.items}}"
                        - split:
                            tokenize: ","
                            streaming: true
                            parallelProcessing: true
                            steps:
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "item-${body}"
                              - toD: "{{training.base}}/item/${body}"
                              - to: caravan:store
                """.formatted(JOB);
    }

    /** Answers each item with a small JSON document, and 404 for the item called {@code missing}. */
    private static HttpServer loopbackServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext("/", exchange -> {
            boolean missing = exchange.getRequestURI().getPath().endsWith("/missing");
            byte[] body = (missing ? "{\"error\":\"not found\"}" : "{\"path\":\"" + exchange.getRequestURI().getPath() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(missing ? 404 : 200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
