package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.jmx.Json;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a run logs while it runs is kept with it, secrets masked, and read back with caravan log. */
class RunLogIT {

    static final String TOKEN = "log-tok-51c9e2a7";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    static String job(String id, String items) {
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:test/%s
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "%s"
                        - split:
                            tokenize: ","
                            parallelProcessing: true
                            steps:
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "item:${body}"
                              - log: "fetching ${body} with {{env:API_TOKEN}}"
                              - toD: "{{test.base-url}}/item/${body}"
                              - to: caravan:store
                """.formatted(id, id, items);
    }

    @Test
    void a_runs_lines_are_kept_with_it_its_own_only_secrets_masked_and_caravan_log_shows_them() throws Exception {
        server.on("/item/*", (n, ex) -> ex.getRequestURI().getPath().endsWith("/3") ? Answer.status(404) : Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("a.yaml", job("alpha", "1,2,3")).route("b.yaml", job("beta", "7,8"))
                    .property("test.base-url", server.baseUrl()).env("API_TOKEN", TOKEN).start();
            String alpha = t.daemon().jobs().trigger("alpha");
            String beta = t.daemon().jobs().trigger("beta");
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    t.count("select count(*) from job_run where status <> 'running'") == 2);

            List<Map<String, Object>> lines = t.query("select level, message from run_log where run_id = ? order by id", alpha);
            assertThat(lines).extracting(r -> r.get("message").toString())
                    .filteredOn(m -> m.startsWith("fetching"))
                    .containsExactlyInAnyOrder("fetching 1 with ***", "fetching 2 with ***", "fetching 3 with ***");
            assertThat(lines).anySatisfy(r -> {
                assertThat(r.get("level")).isEqualTo("WARN");
                assertThat(r.get("message").toString()).startsWith("Item item:3 dead-lettered after 1 attempt(s) (HTTP 404)");
            });
            assertThat(t.query("select message from run_log where run_id = ?", beta)).extracting(r -> r.get("message"))
                    .as("beta's lines only").containsExactlyInAnyOrder("fetching 7 with ***", "fetching 8 with ***");
            assertThat(t.count("select count(*) from run_log where message like ?", "%" + TOKEN + "%")).isZero();

            Cli log = Cli.run("log", "alpha", "--jmx", jmx);
            assertThat(log.exitCode()).as(log.err()).isZero();
            assertThat(log.out()).startsWith("Run " + alpha + " (manual, partial, started ")
                    .contains("log line(s) shown, in the order they were logged", "AT", "LEVEL", "LOGGER", "MESSAGE",
                            "fetching 2 with ***", "WARN", "DeadLetterStore", "Item item:3 dead-lettered")
                    .doesNotContain(TOKEN, "fetching 7");
            List<Map<String, Object>> json = Json.readRows(Cli.run("log", "beta", "--json", "--jmx", jmx).out());
            assertThat(json).extracting(r -> r.get("message")).containsExactlyInAnyOrder("fetching 7 with ***", "fetching 8 with ***");
            assertThat(json).allSatisfy(r -> assertThat(r).containsKeys("logged_at", "level", "logger"));
        }
    }

    @Test
    void a_run_keeps_its_first_lines_and_says_how_many_more_it_logged() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("a.yaml", job("alpha", "1,2,3,4,5")).property("test.base-url", server.baseUrl())
                    .env("API_TOKEN", TOKEN).property("caravan.runs.log-lines", "3").start();

            Map<String, Object> run = t.runToEnd("alpha", Duration.ofSeconds(20));

            List<Object> messages = t.query("select message from run_log where run_id = ? order by id", run.get("run_id"))
                    .stream().map(r -> r.get("message")).toList();
            assertThat(messages).hasSize(4);
            assertThat(messages.get(3)).isEqualTo("2 more line(s) not kept: a run keeps its first 3 (caravan.runs.log-lines)");
        }
    }

    @Test
    void with_no_lines_to_keep_nothing_is_written() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("a.yaml", job("alpha", "1,2")).property("test.base-url", server.baseUrl())
                    .env("API_TOKEN", TOKEN).property("caravan.runs.log-lines", "0").start();

            t.runToEnd("alpha", Duration.ofSeconds(20));

            assertThat(t.count("select count(*) from run_log")).isZero();
        }
    }
}
