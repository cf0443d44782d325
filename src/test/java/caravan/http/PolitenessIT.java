package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;

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

/** robots.txt respect and the adaptive per-host throttle, through the daemon. */
class PolitenessIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private static String pagesJob(String pages) {
        return splitJob(pages, """
                - setHeader:
                    name: CamelHttpMethod
                    constant: GET
                - setHeader:
                    name: CamelHttpPath
                    simple: "${body}"
                - to: "{{test.base-url}}"
                """);
    }

    /** A job that splits {@code items} (comma-separated) in parallel, runs {@code fetch} on each and stores it. */
    private static String splitJob(String items, String fetch) {
        return """
                - route:
                    id: pages
                    from:
                      uri: quartz:test/pages
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "%s"
                        - split:
                            tokenize: ","
                            parallelProcessing: true
                            steps:
                %s              - to: caravan:store
                """.formatted(items, fetch.indent(14));
    }

    @Test
    void with_robots_txt_on_a_disallowed_page_is_dead_lettered_unfetched_and_robots_txt_is_read_once() throws Exception {
        server.on("/robots.txt", (n, ex) -> Answer.ok("User-agent: *\nDisallow: /private\n", "text/plain"))
                .on("/public/*", (n, ex) -> Answer.html("<h1>ok</h1>"))
                .on("/private/*", (n, ex) -> Answer.html("<h1>secret</h1>"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("pages.yaml", pagesJob("/public/1,/public/2,/private/3")).property("test.base-url", server.baseUrl())
                    .property("caravan.http.robots-txt", "true").start();

            Map<String, Object> run = t.runToEnd("pages");

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.count("/robots.txt")).isEqualTo(1);
            assertThat(server.count("/private/3")).isZero();
            Map<String, Object> dead = t.query("select * from dead_letter").get(0);
            assertThat(dead.get("attempts")).isEqualTo(1);
            assertThat((String) dead.get("error")).contains("robots.txt of 127.0.0.1 disallows /private/3");
            assertThat(dead.get("failure_kind")).isEqualTo("refused");
        }
    }

    @Test
    void a_robots_txt_rule_on_a_query_applies_to_a_toD_url_whose_query_camel_http_sends_apart() throws Exception {
        server.on("/robots.txt", (n, ex) -> Answer.ok("User-agent: *\nDisallow: /*?sort=\n", "text/plain"))
                .on("/list", (n, ex) -> Answer.html("<h1>list</h1>"));
        String job = splitJob("/list?page=1,/list?sort=price", """
                - toD: "{{test.base-url}}${body}"
                """);
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("pages.yaml", job).property("test.base-url", server.baseUrl())
                    .property("caravan.http.robots-txt", "true").start();

            Map<String, Object> run = t.runToEnd("pages");

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.count("/list?page=1")).isEqualTo(1);
            assertThat(server.count("/list?sort=price")).isZero();
            assertThat(t.query("select item_key from result")).extracting(r -> r.get("item_key"))
                    .containsExactly(server.baseUrl() + "/list?page=1");
            Map<String, Object> dead = t.query("select * from dead_letter").get(0);
            assertThat((String) dead.get("error")).contains("disallows /list?sort=price");
        }
    }

    @Test
    void the_adaptive_throttle_starts_carefully_and_keeps_one_host_near_its_target_concurrency() throws Exception {
        server.on("/page/*", (n, ex) -> Answer.html("<h1>" + ex.getRequestURI().getPath() + "</h1>").delayed(100));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("pages.yaml", pagesJob("/page/1,/page/2,/page/3,/page/4,/page/5"))
                    .property("test.base-url", server.baseUrl())
                    .property("caravan.http.auto-throttle", "true")
                    .property("caravan.http.auto-throttle.target-concurrency", "1").start();

            Map<String, Object> run = t.runToEnd("pages");

            assertThat(run.get("status")).isEqualTo("succeeded");
            List<FixtureServer.Request> requests = server.requests();
            assertThat(requests).hasSize(5);
            // The throttle spaces request starts 1 s apart; the server sees them after connection set-up, which
            // on a busy machine can delay the first by tens of milliseconds more than the second.
            assertThat(requests.get(1).atNanos() - requests.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
            for (int i = 2; i < requests.size(); i++) {
                assertThat(requests.get(i).atNanos() - requests.get(i - 1).atNanos())
                        .isGreaterThanOrEqualTo(Duration.ofMillis(80).toNanos());
            }
            assertThat(server.maxInFlight()).isLessThanOrEqualTo(2);
        }
    }
}
