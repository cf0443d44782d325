package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every item's first try answers 503 + Retry-After: 1: the waits hold no thread, and nothing deadlocks. */
class RetryStormIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void a_storm_of_retry_after_answers_across_a_wide_fan_out_ends_with_every_item_stored_once() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        server.on("/item/*", (n, ex) -> seen.add(ex.getRequestURI().getPath())
                ? Answer.retryAfter(503, "1") : Answer.json("{\"ok\":true}").delayed(5));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("storm.yaml", JobRuns.fanOutJob("storm", 2000, "streaming: true"))
                    .property("test.base-url", server.baseUrl())
                    .property("caravan.fanout.concurrency", "100")
                    .property("caravan.http.max-per-host", "100")
                    .start();

            long t0 = System.nanoTime();
            Map<String, Object> run = t.runToEnd("storm", Duration.ofSeconds(60));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(run.get("status")).as("run %s, first dead letters %s", run, t.query(
                    "select item_key, attempts, http_status, error from dead_letter where run_id = ? fetch first 3 rows only",
                    run.get("run_id"))).isEqualTo("succeeded");
            assertThat(t.count("select count(distinct item_key) from result where run_id = ?", run.get("run_id"))).isEqualTo(2000);
            assertThat(t.count("select count(*) from result where run_id = ?", run.get("run_id"))).isEqualTo(2000);
            // all first tries, one shared wait of about a second, all second tries: not one wait per item in turn
            assertThat(ms).isLessThan(20_000);
        }
    }
}
