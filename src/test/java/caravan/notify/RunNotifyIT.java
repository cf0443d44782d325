package caravan.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import caravan.jmx.Json;
import caravan.resilience.JobRuns;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.FixtureServer.Request;
import caravan.support.TestDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** caravan.notify.url: a webhook hears of every run that ends failed, partial or interrupted by a crash, and of no other. */
class RunNotifyIT {

    static final String HOOK_TOKEN = "hook-tok-7e1f0c9b42";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void a_partial_run_is_posted_to_the_webhook_with_its_counts_and_a_succeeded_one_is_not() throws Exception {
        server.on("/item/1", (n, ex) -> Answer.json("{}"))
                .on("/item/2", (n, ex) -> n == 2 ? Answer.json("{}") : Answer.status(404))
                .on("/hook", (n, ex) -> Answer.status(204));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 2, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.notify.url", server.baseUrl() + "/hook")
                    .property("caravan.notify.authorization", "Bearer {{env:HOOK_TOKEN}}").env("HOOK_TOKEN", HOOK_TOKEN)
                    .property("caravan.metrics.port", Integer.toString(TestDaemon.freePort())).start();

            Map<String, Object> partial = t.runToEnd("job", Duration.ofSeconds(20)); // item 2: 404 the first time
            Map<String, Object> succeeded = t.runToEnd("job", Duration.ofSeconds(20));
            server.on("/item/1", (n, ex) -> Answer.status(404));
            server.on("/item/2", (n, ex) -> Answer.status(404));
            Map<String, Object> failed = t.runToEnd("job", Duration.ofSeconds(20));
            assertThat(List.of(partial.get("status"), succeeded.get("status"), failed.get("status")))
                    .containsExactly("partial", "succeeded", "failed");

            // one notification per run, in the runs' order: the succeeded run, between them, was not told
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/hook") >= 2);
            List<Request> hooks = server.requestsTo("/hook");
            assertThat(hooks).hasSize(2);
            Map<String, Object> first = Json.readRow(new String(hooks.get(0).body(), StandardCharsets.UTF_8));
            assertThat(first).containsEntry("job_id", "job").containsEntry("run_id", partial.get("run_id"))
                    .containsEntry("status", "partial").containsEntry("items_total", 2).containsEntry("items_failed", 1)
                    .containsEntry("trigger_type", "manual");
            assertThat((String) first.get("text")).isEqualTo("Caravan: job job partial: 2 items, 1 dead-lettered, run "
                    + partial.get("run_id"));
            assertThat(Json.readRow(new String(hooks.get(1).body(), StandardCharsets.UTF_8)))
                    .containsEntry("run_id", failed.get("run_id")).containsEntry("status", "failed");
            assertThat(hooks).allSatisfy(h -> {
                assertThat(h.method()).isEqualTo("POST");
                assertThat(h.headers().get("Authorization")).containsExactly("Bearer " + HOOK_TOKEN);
                assertThat(h.headers().get("Content-type")).containsExactly("application/json");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> scrape(t).contains("caravan_notifications_total{outcome=\"delivered\"} 2.0"));
        }
    }

    private static String scrape(TestDaemon t) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + t.daemon().metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void a_run_a_crash_cut_is_told_as_interrupted_when_the_node_starts_again() throws Exception {
        server.on("/hook", (n, ex) -> Answer.status(200));
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.cluster.node-id", "node-a").property("caravan.notify.url", server.baseUrl() + "/hook");
            t.start();
            t.stop();
            // what a process killed during a run leaves: its run still recorded as running
            t.execute("insert into job_run (run_id, job_id, trigger_type, node_id, started_at, status)"
                    + " values ('cut-1', 'job', 'schedule', 'node-a', current_timestamp, 'running')");
            t.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/hook") == 1);
            assertThat(Json.readRow(new String(server.requestsTo("/hook").get(0).body(), StandardCharsets.UTF_8)))
                    .containsEntry("run_id", "cut-1").containsEntry("status", "interrupted")
                    .containsEntry("error", "the process stopped during the run (found at start)");
        }
    }

    @Test
    void a_status_that_is_not_a_run_end_or_a_url_that_is_not_http_stops_the_start_and_says_what_to_use() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            assertThatThrownBy(() -> t.property("caravan.notify.url", server.baseUrl() + "/hook")
                    .property("caravan.notify.on", "failed,broken").start())
                    .hasMessageContaining("caravan.notify.on: 'broken' is not a status a run ends with: use a"
                            + " comma-separated list of succeeded, partial, failed, interrupted, skipped");
        }
        try (TestDaemon t = new TestDaemon(home.resolve("second"))) {
            assertThatThrownBy(() -> t.property("caravan.notify.url", "hooks.example.com/x").start())
                    .hasMessageContaining("caravan.notify.url: 'hooks.example.com/x' is not an http:// or https:// URL");
        }
        try (TestDaemon t = new TestDaemon(home.resolve("third"))) {
            assertThatThrownBy(() -> t.property("caravan.notify.url", server.baseUrl() + "/hook")
                    .property("caravan.notify.repeat", "hourly").start())
                    .hasMessageContaining("caravan.notify.repeat: 'hourly' is not every (each run with a status in"
                            + " caravan.notify.on) or on-change (only a change of a job's status, and its recovery)");
        }
    }

    @Test
    void with_repeat_on_change_a_job_failing_again_is_not_told_again_and_its_recovery_is() throws Exception {
        AtomicInteger answer = new AtomicInteger(500);
        server.on("/item/1", (n, ex) -> answer.get() == 200 ? Answer.json("{\"n\":" + n + "}") : Answer.status(answer.get()))
                .on("/hook", (n, ex) -> Answer.status(204));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 1, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.retry.max-attempts", "1")
                    .property("caravan.notify.url", server.baseUrl() + "/hook")
                    .property("caravan.notify.repeat", "on-change").start();

            List<String> runs = new ArrayList<>();
            for (int status : new int[] {500, 500, 200, 200, 500}) {
                answer.set(status);
                runs.add((String) t.runToEnd("job", Duration.ofSeconds(20)).get("run_id"));
            }

            // failed, failed again (not told), recovered, succeeded again (not told), failed
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/hook") >= 3);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> server.count("/hook") == 3);
            List<Map<String, Object>> told = server.requestsTo("/hook").stream()
                    .map(h -> Json.readRow(new String(h.body(), StandardCharsets.UTF_8))).toList();
            assertThat(told).extracting(m -> m.get("run_id")).containsExactly(runs.get(0), runs.get(2), runs.get(4));
            assertThat(told).extracting(m -> m.get("status")).containsExactly("failed", "succeeded", "failed");
            assertThat(told).extracting(m -> m.get("previous_status")).containsExactly(null, "failed", "succeeded");
            assertThat((String) told.get(1).get("text"))
                    .startsWith("Caravan: job job recovered (was failed), succeeded: 1 items, 0 dead-lettered, run ");
        }
    }
}
