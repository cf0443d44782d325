package caravan.support;

import caravan.cli.JmxAddress;
import caravan.cli.JmxClient;
import caravan.jmx.JobsMBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * One Caravan node as its own process ({@code java -cp <test classpath> caravan.Caravan run}), with its own routes,
 * config and data folders, a node id and a JMX port, on a shared PostgreSQL database. SIGKILL is {@link #kill()},
 * a graceful stop (SIGTERM) is {@link #stop()}. Its log goes to {@code home/node.log}.
 */
public final class NodeProcess implements AutoCloseable {

    private final String nodeId;
    private final Path home;
    private final Properties config = new Properties();
    private final int jmxPort = TestDaemon.freePort();
    private Process process;

    public NodeProcess(String nodeId, Path home, Postgres db) {
        this.nodeId = nodeId;
        this.home = home;
        try {
            Files.createDirectories(routes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.setProperty("caravan.db.url", db.url());
        config.setProperty("caravan.db.user", db.user());
        config.setProperty("caravan.db.pool-size", "5");
        config.setProperty("caravan.cluster.enabled", "true");
        config.setProperty("caravan.cluster.node-id", nodeId);
        config.setProperty("caravan.jmx.port", Integer.toString(jmxPort));
        config.setProperty("caravan.metrics.port", "0");
        config.setProperty("caravan.shutdown-timeout", "5s");
        config.setProperty("caravan.scheduler.threads", "5");
    }

    public String nodeId() {
        return nodeId;
    }

    public Path routes() {
        return home.resolve("routes");
    }

    public NodeProcess property(String key, String value) {
        config.setProperty(key, value);
        return this;
    }

    public NodeProcess route(String fileName, String yaml) {
        try {
            Files.writeString(routes().resolve(fileName), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Starts the process; {@link #awaitStarted()} waits for its "Caravan started" line. */
    public NodeProcess start() {
        try {
            Path configFile = home.resolve("application.properties");
            try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                config.store(out, null);
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), "caravan.Caravan", "run",
                    "--routes", routes().toString(), "--config", configFile.toString(), "--data", home.resolve("data").toString()));
            process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log().toFile()).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NodeProcess awaitStarted() {
        Awaitility.await("node " + nodeId + " started").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("node " + nodeId + " exited with " + process.exitValue() + ":\n" + logText());
                    }
                    return logText().contains("Caravan started in");
                });
        return this;
    }

    public Path log() {
        return home.resolve("node.log");
    }

    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL; returns when the process is gone. */
    public Instant kill() {
        Instant at = Instant.now();
        process.destroyForcibly();
        waitFor();
        return at;
    }

    /** SIGTERM (graceful stop); returns the time it was sent. {@link #waitFor()} waits for the exit. */
    public Instant stop() {
        Instant at = Instant.now();
        process.destroy();
        return at;
    }

    public void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Calls the node's {@code caravan:type=Jobs} MBean over JMX. */
    public <T> T jmx(Function<JobsMBean, T> action) {
        try (JmxClient client = JmxClient.connect(new JmxAddress("127.0.0.1", jmxPort), null, null)) {
            return client.call(action);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }
}
