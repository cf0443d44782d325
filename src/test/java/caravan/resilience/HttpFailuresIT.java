package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.SelfSignedHttpsServer;
import caravan.support.TestDaemon;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What is retried and what is not, one failure at a time. */
class HttpFailuresIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void a_404_is_dead_lettered_after_one_request() throws Exception {
        server.on("/item/1", (n, ex) -> Answer.json("{}")).on("/item/2", (n, ex) -> Answer.status(404));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 2, null)).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.count("/item/2")).isEqualTo(1);
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("item_key")).isEqualTo("item:2");
            assertThat(dead.get("attempts")).isEqualTo(1);
            assertThat(dead.get("http_status")).isEqualTo(404);
            assertThat(dead.get("endpoint")).isEqualTo(server.baseUrl() + "/item/2");
            assertThat(dead.get("failure_kind")).isEqualTo("permanent");
        }
    }

    @Test
    void an_answer_a_step_cannot_parse_is_dead_lettered_at_once_though_the_parser_fails_with_an_ioexception() throws Exception {
        // Jackson's JsonParseException is an IOException; reading the same bytes again fails the same way
        server.on("/item/1", (n, ex) -> Answer.ok("<html>maintenance</html>", "text/html"));
        String job = JobRuns.fanOutJob("job", 1, null).replaceFirst("( *)- to: caravan:store",
                "$1- setHeader:\n$1    name: Title\n$1    jsonpath: \"\\$.title\"\n$1- to: caravan:store");
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job).property("test.base-url", server.baseUrl())
                    .property("caravan.retry.max-attempts", "3").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("failed");
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("attempts")).isEqualTo(1);
            assertThat(dead.get("failure_kind")).isEqualTo("permanent");
            assertThat((String) dead.get("error")).contains("JsonParseException");
            assertThat(server.count("/item/1")).isEqualTo(1);
        }
    }

    @Test
    void a_site_whose_certificate_is_not_trusted_is_dead_lettered_after_one_attempt() throws Exception {
        try (SelfSignedHttpsServer site = new SelfSignedHttpsServer(home); TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 1, null)).property("test.base-url", site.baseUrl())
                    .property("caravan.retry.max-attempts", "3").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("failed");
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("attempts")).as("the next attempt meets the same certificate").isEqualTo(1);
            assertThat(dead.get("failure_kind")).isEqualTo("permanent");
            assertThat((String) dead.get("error")).contains("SSLHandshakeException");
            assertThat(site.requests()).isZero();
        }
    }

    @Test
    void a_timeout_is_retried() throws Exception {
        server.on("/item/1", (n, ex) -> n == 1 ? Answer.json("{\"slow\":true}").delayed(1500) : Answer.json("{\"n\":" + n + "}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 1, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.http.response-timeout", "300ms").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(server.count("/item/1")).isEqualTo(2);
            assertThat(t.query("select payload from result where run_id = ?", run.get("run_id")))
                    .extracting(r -> r.get("payload")).containsExactly("{\"n\":2}");
        }
    }

    @Test
    void a_refused_connection_is_retried_until_the_attempts_run_out() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 1, null))
                    .property("test.base-url", "http://127.0.0.1:" + closedPort)
                    .property("caravan.retry.max-attempts", "3").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("failed");
            assertThat(run.get("items_total")).isEqualTo(1);
            assertThat(run.get("items_failed")).isEqualTo(1);
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("attempts")).isEqualTo(3);
            assertThat(dead.get("http_status")).isNull();
            assertThat((String) dead.get("error")).containsIgnoringCase("refused");
            assertThat(dead.get("failure_kind")).isEqualTo("transient");
        }
    }

    @Test
    void with_a_per_host_cap_of_2_the_server_never_sees_more_than_2_requests_at_once() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}").delayed(100));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 20, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.http.max-per-host", "2").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(30));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("items_total")).isEqualTo(20);
            assertThat(server.requests()).hasSize(20);
            assertThat(server.maxInFlight()).isEqualTo(2);
        }
    }

    @Test
    void a_per_host_delay_spaces_the_requests_to_one_host() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", JobRuns.fanOutJob("job", 5, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.http.host-delay", "200ms").start();

            t.runToEnd("job", Duration.ofSeconds(30));

            var requests = server.requests();
            assertThat(requests).hasSize(5);
            for (int i = 1; i < requests.size(); i++) {
                assertThat(requests.get(i).atNanos() - requests.get(i - 1).atNanos())
                        .isGreaterThanOrEqualTo(Duration.ofMillis(170).toNanos());
            }
        }
    }

    @Test
    void a_route_can_replace_the_default_redelivery_with_its_own_error_handler() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.status(500));
        String job = JobRuns.fanOutJob("job", 1, null).replace("""
                    from:
                """, """
                    errorHandler:
                      deadLetterChannel:
                        deadLetterUri: caravan:dead-letter
                        redeliveryPolicy:
                          maximumRedeliveries: 1
                          redeliveryDelay: 10
                    from:
                """);
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job).property("test.base-url", server.baseUrl())
                    .property("caravan.retry.max-attempts", "5").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("failed");
            assertThat(server.count("/item/1")).isEqualTo(2);
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("attempts")).isEqualTo(2);
            assertThat(dead.get("http_status")).isEqualTo(500);
        }
    }
}
