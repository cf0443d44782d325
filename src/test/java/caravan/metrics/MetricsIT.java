package caravan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.daemon.Daemon;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.PrometheusText;
import caravan.support.TestDaemon;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics and health, scraped over HTTP from a running daemon. */
class MetricsIT {

    static final String FETCH = """
            - route:
                id: fetch
                from:
                  uri: quartz:test/fetch
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setBody:
                        constant: "a,b"
                    - split:
                        tokenize: ","
                        steps:
                          - setHeader:
                              name: CamelHttpMethod
                              constant: GET
                          - toD: "{{site}}/page/${body}"
                          - to: caravan:store
            - route:
                id: gone
                from:
                  uri: quartz:test/gone
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setBody:
                        constant: "x"
                    - split:
                        tokenize: ","
                        steps:
                          - toD: "{{site}}/missing/${body}"
                          - to: caravan:store
            - route:
                id: broken
                errorHandler:
                  defaultErrorHandler:
                    redeliveryPolicy:
                      maximumRedeliveries: 2
                      redeliveryDelay: 10
                from:
                  uri: quartz:test/broken
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setHeader:
                        name: CamelHttpMethod
                        constant: GET
                    - to: "{{site}}/missing"
            """;

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_metrics_endpoint_counts_runs_items_http_requests_and_retries() throws Exception {
        server.on("/page/*", (n, ex) -> Answer.json("{\"page\":\"" + ex.getRequestURI().getPath() + "\"}"));
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.property("caravan.metrics.port", Integer.toString(TestDaemon.freePort()))
                    .property("site", server.baseUrl()).route("jobs.yaml", FETCH).start();
            String first = d.jobs().trigger("fetch");
            await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(status(t, first)));
            String second = d.jobs().trigger("fetch");
            await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(status(t, second)));
            String broken = d.jobs().trigger("broken");
            await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(status(t, broken)));
            String gone = d.jobs().trigger("gone");
            await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(status(t, gone)));

            HttpResponse<String> scrape = get(d, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_TEXT);
            String text = scrape.body();
            String host = "127.0.0.1:" + URI.create(server.baseUrl()).getPort();
            assertThat(PrometheusText.value(text, "caravan_runs_total{job=\"fetch\",status=\"succeeded\"}")).isEqualTo(2);
            assertThat(PrometheusText.value(text, "caravan_runs_total{job=\"broken\",status=\"failed\"}")).isEqualTo(1);
            assertThat(PrometheusText.value(text, "caravan_run_duration_seconds_count{job=\"fetch\",status=\"succeeded\"}")).isEqualTo(2);
            assertThat(PrometheusText.value(text, "caravan_items_stored_total{job=\"fetch\"}")).isEqualTo(4);
            assertThat(PrometheusText.value(text, "caravan_items_dead_lettered_total{job=\"fetch\"}")).isEqualTo(0);
            assertThat(PrometheusText.value(text, "caravan_items_dead_lettered_total{job=\"gone\"}")).isEqualTo(1);
            assertThat(PrometheusText.value(text, "caravan_dead_letters_total{job=\"gone\",kind=\"permanent\"}")).isEqualTo(1);
            assertThat(PrometheusText.value(text, "caravan_dead_letters_total{job=\"gone\",kind=\"transient\"}")).isZero();
            assertThat(PrometheusText.value(text, "caravan_dead_letters_total{job=\"fetch\",kind=\"transient\"}"))
                    .as("every kind's series from the job's first run").isZero();
            assertThat(PrometheusText.value(text, "caravan_http_requests_seconds_count{host=\"" + host + "\",status=\"200\"}")).isEqualTo(4);
            assertThat(PrometheusText.value(text, "caravan_http_requests_seconds_count{host=\"" + host + "\",status=\"404\"}")).isEqualTo(4);
            assertThat(PrometheusText.value(text, "caravan_http_requests_seconds_sum{host=\"" + host + "\",status=\"200\"}")).isPositive();
            assertThat(PrometheusText.value(text, "caravan_retries_total{job=\"broken\"}")).isEqualTo(2);
            assertThat(PrometheusText.value(text, "caravan_runs_active")).isZero();
        }
    }

    @Test
    void a_fetch_step_counts_its_requests_retries_and_stored_items_as_a_split_would() throws Exception {
        server.on("/page/b", (n, ex) -> n == 1 ? Answer.status(500) : Answer.json("{}"))
                .on("/page/*", (n, ex) -> Answer.json("{}"));
        String job = """
                - route:
                    id: many
                    from:
                      uri: quartz:test/many
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "a,b"
                        - to:
                            uri: caravan:fetch
                            parameters:
                              delimiter: ","
                              url: "{{site}}/page/${body}"
                """;
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.property("caravan.metrics.port", Integer.toString(TestDaemon.freePort()))
                    .property("caravan.retry.initial-delay", "20ms").property("site", server.baseUrl())
                    .route("many.yaml", job).start();
            String run = d.jobs().trigger("many");
            await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(status(t, run)));

            String text = get(d, "/metrics").body();
            String host = "127.0.0.1:" + URI.create(server.baseUrl()).getPort();
            assertThat(PrometheusText.value(text, "caravan_http_requests_seconds_count{host=\"" + host + "\",status=\"200\"}")).isEqualTo(2);
            assertThat(PrometheusText.value(text, "caravan_http_requests_seconds_count{host=\"" + host + "\",status=\"500\"}")).isEqualTo(1);
            assertThat(PrometheusText.value(text, "caravan_retries_total{job=\"many\"}")).isEqualTo(1);
            assertThat(PrometheusText.value(text, "caravan_items_stored_total{job=\"many\"}")).isEqualTo(2);
        }
    }

    @Test
    void each_job_has_its_last_success_as_a_timestamp_that_a_restart_keeps() throws Exception {
        server.on("/page/*", (n, ex) -> Answer.json("{}"));
        double succeededAt;
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.property("caravan.metrics.port", Integer.toString(TestDaemon.freePort()))
                    .property("site", server.baseUrl()).route("jobs.yaml", FETCH).start();
            String run = d.jobs().trigger("fetch");
            await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(status(t, run)));
            String gone = d.jobs().trigger("gone");
            await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(status(t, gone)));

            String text = get(d, "/metrics").body();
            java.time.Instant finished = ((java.time.OffsetDateTime) t.query("select finished_at from job_run where run_id = ?", run)
                    .get(0).get("finished_at")).toInstant();
            succeededAt = PrometheusText.value(text, "caravan_job_last_success_timestamp_seconds{job=\"fetch\"}");
            assertThat(succeededAt).isCloseTo(finished.toEpochMilli() / 1000.0, org.assertj.core.data.Offset.offset(0.002));
            assertThat(text).as("a job that never succeeded has no last success")
                    .doesNotContain("caravan_job_last_success_timestamp_seconds{job=\"gone\"}");
        }
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.property("caravan.metrics.port", Integer.toString(TestDaemon.freePort()))
                    .property("site", server.baseUrl()).route("jobs.yaml", FETCH).start();
            String text = get(d, "/metrics").body();
            assertThat(PrometheusText.value(text, "caravan_job_last_success_timestamp_seconds{job=\"fetch\"}"))
                    .as("read back from job_run at start").isEqualTo(succeededAt);
        }
    }

    @Test
    void health_is_up_then_down_when_the_database_is_gone() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.property("caravan.metrics.port", Integer.toString(TestDaemon.freePort())).start();
            HttpResponse<String> up = get(d, "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"database\":\"UP\",\"scheduler\":\"UP\"}}");

            ((HikariDataSource) d.dataSource()).close();
            HttpResponse<String> down = get(d, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).startsWith("{\"status\":\"DOWN\",\"checks\":{\"database\":\"DOWN: ")
                    .endsWith("\"scheduler\":\"UP\"}}");
        }
    }

    private HttpResponse<String> get(Daemon d, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String status(TestDaemon t, String runId) {
        var rows = t.query("select status from job_run where run_id = ?", runId);
        return rows.isEmpty() ? "" : (String) rows.get(0).get("status");
    }
}
