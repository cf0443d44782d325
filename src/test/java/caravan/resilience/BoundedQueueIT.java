package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.daemon.Daemon;
import caravan.http.HostLimiter;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.PrometheusText;
import caravan.support.TestDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming fan-out against a host that does not answer: the limiter's queue fills to its bound and the split stops
 * reading items there (seen through the metrics endpoint), and once the host answers every item is stored once.
 */
class BoundedQueueIT {

    static final int ITEMS = 1500;
    static final int CAP = 4;

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_stalled_host_fills_the_queue_to_its_bound_and_nothing_is_lost_when_it_answers() throws Exception {
        int bound = HostLimiter.defaultMaxWaiting(CAP);
        assertThat(ITEMS).isGreaterThan(bound + CAP);
        CountDownLatch answer = new CountDownLatch(1);
        server.on("/item/*", (n, ex) -> {
            answer.await(60, TimeUnit.SECONDS);
            return Answer.json("{\"id\":\"" + ex.getRequestURI().getPath().substring(6) + "\"}");
        });
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.property("caravan.metrics.port", Integer.toString(TestDaemon.freePort()))
                    .property("caravan.http.max-concurrent", Integer.toString(CAP))
                    .property("test.base-url", server.baseUrl())
                    .route("stalled.yaml", JobRuns.fanOutJob("stalled", ITEMS, "streaming: true")).start();
            String runId = d.jobs().trigger("stalled");

            await().atMost(Duration.ofSeconds(30)).until(() -> gauge(d, "caravan_http_waiting") == bound);
            assertThat(gauge(d, "caravan_http_in_flight")).isEqualTo(CAP);
            // The queue stays at its bound while the host does not answer: the split waits for room.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> gauge(d, "caravan_http_waiting") == bound && server.inFlight() == CAP);

            answer.countDown();
            Map<String, Object> run = t.awaitRun(runId, Duration.ofMinutes(2));
            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(ITEMS);
            assertThat(t.count("select count(*) from result where run_id = ?", runId)).isEqualTo(ITEMS);
            assertThat(t.count("select count(distinct item_key) from result where run_id = ?", runId)).isEqualTo(ITEMS);
            assertThat(server.maxInFlight()).isEqualTo(CAP);
            assertThat(gauge(d, "caravan_http_waiting")).isZero();
        }
    }

    private long gauge(Daemon d, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (long) PrometheusText.value(text, name);
    }
}
