package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Every item of a fan-out ends as one result or one dead letter, against a server that misbehaves on purpose. */
class FanOutResilienceIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void forty_items_with_503s_429s_and_500s_end_as_38_results_and_2_dead_letters(String database) throws Exception {
        // items 1-30 succeed; 31-36 answer 503 + Retry-After: 1 twice; 37-38 answer 429 + Retry-After: 2 once;
        // 39-40 always answer 500.
        server.on("/item/*", (n, ex) -> {
            int item = Integer.parseInt(ex.getRequestURI().getPath().substring("/item/".length()));
            if (item <= 30) {
                return Answer.json("{\"item\":" + item + "}");
            }
            if (item <= 36) {
                return n <= 2 ? Answer.retryAfter(503, "1") : Answer.json("{\"item\":" + item + "}");
            }
            if (item <= 38) {
                return n <= 1 ? Answer.retryAfter(429, "2") : Answer.json("{\"item\":" + item + "}");
            }
            return Answer.status(500);
        });
        try (TestDaemon t = new TestDaemon(home).onDatabase(database)) {
            t.route("flaky.yaml", JobRuns.fanOutJob("flaky", 40, null))
                    .property("test.base-url", server.baseUrl())
                    .property("caravan.retry.max-attempts", "4")
                    .start();

            Map<String, Object> run = t.runToEnd("flaky", Duration.ofSeconds(30));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(run.get("items_total")).isEqualTo(40);
            assertThat(run.get("items_failed")).isEqualTo(2);
            assertThat(run.get("items_changed")).isEqualTo(38);
            assertThat(t.count("select count(*) from result where run_id = ?", run.get("run_id"))).isEqualTo(38);
            List<Map<String, Object>> dead = t.query("select * from dead_letter where run_id = ? order by item_key",
                    run.get("run_id"));
            assertThat(dead).extracting(d -> d.get("item_key")).containsExactly("item:39", "item:40");
            assertThat(dead).allSatisfy(d -> {
                assertThat(d.get("attempts")).isEqualTo(4);
                assertThat(d.get("http_status")).isEqualTo(500);
                assertThat((String) d.get("endpoint")).startsWith(server.baseUrl() + "/item/");
                assertThat((String) d.get("error")).contains("500");
                assertThat(d.get("payload")).isIn("39", "40");
            });
            assertThat(t.count("select count(*) from result r join dead_letter d on d.run_id = r.run_id"
                    + " and d.item_key = r.item_key where r.run_id = ?", run.get("run_id"))).isZero();

            for (int i = 31; i <= 36; i++) {
                assertThat(server.count("/item/" + i)).as("requests for 503 item %d", i).isEqualTo(3);
            }
            for (int i = 37; i <= 38; i++) {
                List<FixtureServer.Request> requests = server.requestsTo("/item/" + i);
                assertThat(requests).as("requests for 429 item %d", i).hasSize(2);
                assertThat(requests.get(1).atNanos() - requests.get(0).atNanos())
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
            }
            for (int i = 39; i <= 40; i++) {
                assertThat(server.count("/item/" + i)).as("requests for 500 item %d", i).isEqualTo(4);
            }
            for (int i = 1; i <= 30; i++) {
                assertThat(server.count("/item/" + i)).isEqualTo(1);
            }
        }
    }
}
