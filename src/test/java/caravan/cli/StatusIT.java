package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.jmx.Json;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan status}: the daemon at a glance, against a running daemon. */
class StatusIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    static final String HELD = """
            - route:
                id: held
                from:
                  uri: quartz:test/held
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - to: "{{site}}/held"
                    - to: caravan:store
            """;

    @Test
    void status_shows_the_version_node_database_jobs_paused_and_the_runs_in_progress() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.on("/held", (n, ex) -> {
            release.await(20, TimeUnit.SECONDS);
            return Answer.json("{}");
        });
        try (TestDaemon t = new TestDaemon(home).property("site", server.baseUrl()).property("caravan.cluster.node-id", "node-7")) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).route("held.yaml", HELD).route("broken.yaml", "- route: [").start();
            assertThat(Cli.run("pause", "quick", "--jmx", jmx).exitCode()).isZero();
            String runId = Cli.run("trigger", "held", "--jmx", jmx).out().strip();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/held") == 1);

            Cli status = Cli.run("status", "--jmx", jmx);
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out())
                    .containsPattern("Caravan \\d+\\.\\d+\\.\\d+\\S* \\(Java " + java.util.regex.Pattern.quote(Runtime.version().toString())
                            + "\\) on node node-7, up \\d+ s since 20\\d\\d-")
                    .contains("Database: jdbc:h2:file:", "Jobs: 2 loaded, 1 paused, 1 running; 1 route file(s) failed to load")
                    .containsPattern("held +" + runId + " +manual +20\\d\\d-\\S+ +\\d+\\.\\d s +0 +0");

            Map<String, Object> json = Json.readRow(Cli.run("status", "--json", "--jmx", jmx).out());
            assertThat(json).containsEntry("node_id", "node-7").containsEntry("cluster", false).containsEntry("jobs", 2)
                    .containsEntry("paused", 1).containsEntry("load_errors", 1);
            assertThat((List<?>) json.get("running")).singleElement().satisfies(r -> assertThat(((Map<?, ?>) r).get("run_id")).isEqualTo(runId));

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> Cli.run("status", "--jmx", jmx).out().contains("0 running"));
        }
    }

    @Test
    void uptime_shows_its_two_largest_units() {
        assertThat(StatusCommand.uptime(Duration.ofSeconds(40))).isEqualTo("40 s");
        assertThat(StatusCommand.uptime(Duration.ofMinutes(12).plusSeconds(5))).isEqualTo("12 min");
        assertThat(StatusCommand.uptime(Duration.ofHours(2).plusMinutes(5))).isEqualTo("2 h 5 min");
        assertThat(StatusCommand.uptime(Duration.ofDays(3).plusHours(4).plusMinutes(1))).isEqualTo("3 d 4 h");
    }
}
