package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon killed (SIGKILL) the moment it has logged a run as succeeded still has that run and all its results in
 * its H2 file at the next open: what the daemon counted was on disk, not in H2's write-behind buffer.
 */
class CrashDurabilityIT {

    private static final int ITEMS = 50;
    private static final Pattern SUCCEEDED = Pattern.compile("Run (\\S+) of job crash succeeded in");

    @TempDir
    Path home;

    @Test
    void runs_and_results_logged_before_a_sigkill_are_in_the_database_after_it() throws Exception {
        Path routes = Files.createDirectories(home.resolve("routes"));
        Files.writeString(routes.resolve("crash.yaml"), """
                - route:
                    id: crash
                    from:
                      uri: quartz:test/crash
                      parameters:
                        cron: "0/1 * * * * ?"
                      steps:
                        - setBody:
                            constant: "%s"
                        - split:
                            tokenize: ","
                            parallelProcessing: true
                            steps:
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "item-${body}"
                              - to: caravan:store?skipUnchanged=false
                """.formatted(IntStream.range(0, ITEMS).mapToObj(Integer::toString).collect(Collectors.joining(","))));
        Path config = home.resolve("application.properties");
        Files.writeString(config, "caravan.jmx.port=0\ncaravan.metrics.port=0\n");
        Path data = home.resolve("data");
        Path log = home.resolve("daemon.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process daemon = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "caravan.Caravan", "run",
                "--routes", routes.toString(), "--config", config.toString(), "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Set<String> logged;
        try {
            // Killed right after the second run's end is logged: its commit is milliseconds old.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                    .until(() -> succeededRuns(log).size() >= 2);
        } finally {
            daemon.destroyForcibly();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        logged = succeededRuns(log);

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("caravan"), "sa", "")) {
            for (String runId : logged) {
                assertThat(value(c, "select status from job_run where run_id = '" + runId + "'"))
                        .as("run %s, logged as succeeded before the kill", runId).isEqualTo("succeeded");
                assertThat(value(c, "select count(*) from result where run_id = '" + runId + "'"))
                        .as("results of run %s", runId).isEqualTo(String.valueOf(ITEMS));
            }
        }
    }

    private static Set<String> succeededRuns(Path log) throws Exception {
        Set<String> runs = new LinkedHashSet<>();
        if (!Files.exists(log)) {
            return runs;
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String line : lines) {
            Matcher m = SUCCEEDED.matcher(line);
            if (m.find()) {
                runs.add(m.group(1));
            }
        }
        return runs;
    }

    private static String value(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
