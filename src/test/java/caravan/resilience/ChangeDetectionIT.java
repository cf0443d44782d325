package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** caravan:store keeps only content that changed, and a job can send only changed items onward. */
class ChangeDetectionIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private static final String JOB = """
            - route:
                id: watch
                from:
                  uri: quartz:test/watch
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader:
                        name: CamelHttpMethod
                        constant: GET
                    - to: "{{test.base-url}}/page"
                    - to:
                        uri: caravan:extract
                        parameters:
                          title: "h1"
                    - to: caravan:store
                    - filter:
                        simple: "${header.CaravanChanged}"
                        steps:
                          - marshal:
                              json: {}
                          - setHeader:
                              name: CamelHttpMethod
                              constant: POST
                          - to: "{{test.base-url}}/alert"
            """;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void the_same_page_twice_is_stored_once_and_counts_no_change_the_second_time(String database) throws Exception {
        server.on("/page", (n, ex) -> Answer.html("<html><h1>Price: 10</h1><p>seen " + n + " times</p></html>"))
                .on("/alert", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home).onDatabase(database)) {
            t.route("watch.yaml", JOB).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> first = t.runToEnd("watch", Duration.ofSeconds(20));
            assertThat(first.get("status")).isEqualTo("succeeded");
            Map<String, Object> second = t.runToEnd("watch", Duration.ofSeconds(20));

            assertThat(first.get("items_changed")).isEqualTo(1);
            assertThat(second.get("status")).isEqualTo("succeeded");
            assertThat(second.get("items_total")).isEqualTo(1);
            assertThat(second.get("items_changed")).isEqualTo(0);
            assertThat(t.count("select count(*) from result")).isEqualTo(1);
            assertThat(server.count("/page")).isEqualTo(2);
            assertThat(server.count("/alert")).as("only the changed item is sent onward").isEqualTo(1);
            assertThat(new String(server.requestsTo("/alert").get(0).body())).isEqualTo("{\"title\":\"Price: 10\"}");
        }
    }

    @Test
    void a_failure_after_the_item_was_stored_is_not_also_a_dead_letter() throws Exception {
        server.on("/page", (n, ex) -> Answer.html("<html><h1>Price: 10</h1></html>")).on("/alert", (n, ex) -> Answer.status(400));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("watch.yaml", JOB).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("watch", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(1);
            assertThat(t.count("select count(*) from dead_letter")).isZero();
            assertThat(t.count("select count(*) from result")).isEqualTo(1);
        }
    }

    @Test
    void with_skip_unchanged_off_every_fetch_is_stored() throws Exception {
        server.on("/page", (n, ex) -> Answer.html("<html><h1>Price: 10</h1></html>")).on("/alert", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("watch.yaml", JOB.replace("- to: caravan:store", "- to: caravan:store?skipUnchanged=false"))
                    .property("test.base-url", server.baseUrl()).start();

            t.runToEnd("watch", Duration.ofSeconds(20));
            Map<String, Object> second = t.runToEnd("watch", Duration.ofSeconds(20));

            assertThat(second.get("items_changed")).isEqualTo(0);
            assertThat(t.count("select count(*) from result")).isEqualTo(2);
        }
    }
}
