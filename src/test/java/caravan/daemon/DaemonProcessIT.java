package caravan.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as users start it, {@code caravan run} in its own JVM, with the shipped example jobs pointed at a port
 * where nothing listens: it keeps running and records the failed runs with their error, and SIGTERM stops it
 * cleanly with no run left {@code running}.
 */
class DaemonProcessIT {

    @TempDir
    Path home;

    @Test
    void caravan_run_survives_unreachable_sites_and_stops_cleanly_on_sigterm() throws Exception {
        Path routes = Files.createDirectories(home.resolve("routes"));
        Files.copy(Path.of("routes", "hn-top-stories.yaml"), routes.resolve("hn-top-stories.yaml"));
        Files.copy(Path.of("routes", "site-scrape.yaml"), routes.resolve("site-scrape.yaml"));
        Path config = home.resolve("application.properties");
        Files.writeString(config, String.join("\n",
                "caravan.jmx.port=0", "caravan.metrics.port=0", "caravan.retry.initial-delay=50ms",
                "hn.base-url=http://127.0.0.1:9", "hn.top-count=3", "sites.news=http://127.0.0.1:9/item", "sites.comic=http://127.0.0.1:9/1147/",
                "hn-top-stories.cron=0/1 * * * * ?", "site-scrape.cron=0/1 * * * * ?", ""));
        Path data = home.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process daemon = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "caravan.Caravan", "run",
                "--routes", routes.toString(), "--config", config.toString(), "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("daemon.log").toFile()).start();
        Supplier<List<String>> log = () -> lines(home.resolve("daemon.log"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    log.get().stream().anyMatch(l -> l.contains("of job hn-top-stories failed"))
                    && log.get().stream().anyMatch(l -> l.contains("of job site-scrape failed")));
            assertThat(daemon.isAlive()).isTrue();
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon stops on SIGTERM").isTrue();
        }
        assertThat(log.get()).anyMatch(l -> l.contains("Caravan stopped"));

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("caravan"), "sa", "")) {
            assertThat(count(c, "select count(*) from job_run where status = 'running'")).isZero();
            List<String> errors = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "select job_id, error from job_run where status = 'failed' order by started_at")) {
                while (rs.next()) {
                    errors.add(rs.getString(1) + ": " + rs.getString(2));
                }
            }
            assertThat(errors).anyMatch(e -> e.startsWith("hn-top-stories: ") && e.contains("Connect"));
            assertThat(errors).anyMatch(e -> e.startsWith("site-scrape: ") && e.contains("Connect"));
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
