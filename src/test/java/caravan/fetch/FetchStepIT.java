package caravan.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.resilience.JobRuns;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** caravan:fetch through the daemon: one step, many GETs, every item stored or a dead letter. */
class FetchStepIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    /** A job whose one fetch step GETs {@code base/item/N} for N in 1..items and keys each result item:N. */
    static String fetchJob(String jobId, int items, String afterFetch) {
        return JobRuns.itemsJob(jobId, items, """
                - to:
                    uri: caravan:fetch
                    parameters:
                      delimiter: ","
                      url: "{{test.base-url}}/item/${body}"
                      itemKey: "item:${body}"
                %s""".formatted(afterFetch == null ? "" : afterFetch.stripTrailing()));
    }

    @Test
    void every_item_is_fetched_once_and_stored_under_its_key_and_the_step_leaves_a_summary() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}").delayed(20));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 200, """
                    - setHeader:
                        name: CaravanItemKey
                        constant: summary
                    - to: caravan:store
                    """)).property("test.base-url", server.baseUrl())
                    .property("caravan.fanout.concurrency", "20").property("caravan.http.max-per-host", "20").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(30));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(server.requests()).hasSize(200);
            assertThat(server.maxInFlight()).isLessThanOrEqualTo(20).isGreaterThan(1);
            assertThat(t.count("select count(distinct item_key) from result where run_id = ? and item_key like 'item:%'",
                    run.get("run_id"))).isEqualTo(200);
            assertThat(t.query("select payload from result where run_id = ? and item_key = 'item:7'", run.get("run_id")))
                    .extracting(r -> r.get("payload")).containsExactly("{\"path\":\"/item/7\"}");
            assertThat(t.query("select payload from result where run_id = ? and item_key = 'summary'", run.get("run_id")))
                    .extracting(r -> r.get("payload")).containsExactly("{\"items\":200,\"stored\":200,\"deadLetters\":0,\"notModified\":0}");
        }
    }

    @Test
    void a_404_is_a_dead_letter_after_one_request_and_the_other_items_are_stored() throws Exception {
        server.on("/item/2", (n, ex) -> Answer.status(404)).on("/item/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 3, null)).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.count("/item/2")).isEqualTo(1);
            assertThat(t.count("select count(*) from result where run_id = ?", run.get("run_id"))).isEqualTo(2);
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("item_key")).isEqualTo("item:2");
            assertThat(dead.get("attempts")).isEqualTo(1);
            assertThat(dead.get("http_status")).isEqualTo(404);
            assertThat(dead.get("endpoint")).isEqualTo(server.baseUrl() + "/item/2");
        }
    }

    @Test
    void an_item_whose_result_cannot_be_stored_is_a_dead_letter_and_the_others_are_stored() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{}"));
        // item 2's key is longer than result.item_key allows (2000): its insert fails, and only its own
        String long2 = "2" + "k".repeat(2100);
        String job = fetchJob("job", 3, null).replace("\"1,2,3\"", "\"1," + long2 + ",3\"");
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(t.query("select item_key from result where run_id = ? order by item_key", run.get("run_id")))
                    .extracting(r -> r.get("item_key")).containsExactly("item:1", "item:3");
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat((String) dead.get("item_key")).startsWith("item:2kkk").hasSize(2000);
            assertThat(dead.get("attempts")).isEqualTo(1);
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void a_5xx_is_retried_with_backoff_until_the_attempts_run_out() throws Exception {
        server.on("/item/1", (n, ex) -> n < 3 ? Answer.status(500) : Answer.json("{\"n\":" + n + "}"))
                .on("/item/2", (n, ex) -> Answer.status(502));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 2, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.retry.max-attempts", "3").property("caravan.retry.initial-delay", "50ms").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.count("/item/1")).isEqualTo(3);
            assertThat(server.count("/item/2")).isEqualTo(3);
            assertThat(t.query("select payload from result where run_id = ?", run.get("run_id")))
                    .extracting(r -> r.get("payload")).containsExactly("{\"n\":3}");
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("attempts")).isEqualTo(3);
            assertThat(dead.get("http_status")).isEqualTo(502);
        }
    }

    @Test
    void an_item_waiting_for_its_retry_after_holds_no_request_slot_and_waits_as_long_as_asked() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        server.on("/item/*", (n, ex) -> seen.add(ex.getRequestURI().getPath())
                ? Answer.retryAfter(503, "1") : Answer.json("{\"ok\":true}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 100, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.fanout.concurrency", "10").property("caravan.http.max-per-host", "10").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(60));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(t.count("select count(distinct item_key) from result where run_id = ?", run.get("run_id"))).isEqualTo(100);
            List<FixtureServer.Request> requests = server.requests();
            assertThat(requests).hasSize(200);
            // Were waiting items kept in their 10 slots, only 10 first tries would come before the first retry.
            assertThat(requests.subList(0, 100)).extracting(FixtureServer.Request::path).doesNotHaveDuplicates();
            List<FixtureServer.Request> item1 = server.requestsTo("/item/1");
            assertThat(item1.get(1).atNanos() - item1.get(0).atNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
        }
    }

    @Test
    void new_items_go_out_before_a_retry_that_is_due_so_that_every_first_try_comes_early() throws Exception {
        server.on("/item/1", (n, ex) -> n == 1 ? Answer.retryAfter(503, "0") : Answer.json("{}"))
                .on("/item/*", (n, ex) -> Answer.json("{}").delayed(50));
        String job = fetchJob("job", 3, null).replace("itemKey: \"item:${body}\"", "itemKey: \"item:${body}\"\n              concurrency: 1");
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", job).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(server.requests()).extracting(FixtureServer.Request::path)
                    .containsExactly("/item/1", "/item/2", "/item/3", "/item/1");
        }
    }

    @Test
    void a_storm_of_retry_after_answers_wider_than_any_thread_pool_queue_ends_with_every_item_stored_once() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        server.on("/item/*", (n, ex) -> seen.add(ex.getRequestURI().getPath())
                ? Answer.retryAfter(503, "1") : Answer.json("{\"ok\":true}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 1500, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.fanout.concurrency", "100").property("caravan.http.max-per-host", "100").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(60));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(t.count("select count(*) from result where run_id = ?", run.get("run_id"))).isEqualTo(1500);
            assertThat(t.count("select count(distinct item_key) from result where run_id = ?", run.get("run_id"))).isEqualTo(1500);
            assertThat(server.requests()).hasSize(3000);
        }
    }

    @Test
    void with_a_per_host_cap_of_2_the_server_never_sees_more_than_2_requests_at_once() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{}").delayed(50));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 20, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.http.max-per-host", "2").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(30));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(server.requests()).hasSize(20);
            assertThat(server.maxInFlight()).isEqualTo(2);
        }
    }

    @Test
    void with_robots_txt_on_a_disallowed_item_is_a_dead_letter_and_never_fetched() throws Exception {
        server.on("/robots.txt", (n, ex) -> Answer.ok("User-agent: *\nDisallow: /item/2\n", "text/plain"))
                .on("/item/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 3, null)).property("test.base-url", server.baseUrl())
                    .property("caravan.http.robots-txt", "true").start();

            Map<String, Object> run = t.runToEnd("job", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.count("/item/2")).isZero();
            assertThat(server.count("/robots.txt")).isEqualTo(1);
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("item_key")).isEqualTo("item:2");
            assertThat((String) dead.get("error")).contains("robots.txt of 127.0.0.1 disallows /item/2");
        }
    }

    @Test
    void without_options_each_line_of_the_body_is_a_url_and_the_key_of_its_result() throws Exception {
        server.on("/page/*", (n, ex) -> Answer.ok("<p>" + ex.getRequestURI().getPath() + "</p>", "text/html"));
        String job = """
                - route:
                    id: lines
                    from:
                      uri: quartz:test/lines
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            simple: "{{test.base-url}}/page/a\\n\\n{{test.base-url}}/page/b\\nnot a url\\n"
                        - to: caravan:fetch
                """;
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("lines.yaml", job).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("lines", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(t.query("select item_key, payload from result where run_id = ? order by item_key", run.get("run_id")))
                    .extracting(r -> r.get("item_key") + " " + r.get("payload"))
                    .containsExactly(server.baseUrl() + "/page/a <p>/page/a</p>", server.baseUrl() + "/page/b <p>/page/b</p>");
            Map<String, Object> dead = t.query("select * from dead_letter where run_id = ?", run.get("run_id")).get(0);
            assertThat(dead.get("item_key")).isEqualTo("not a url");
            assertThat((String) dead.get("error")).contains("not a url");
        }
    }

    @Test
    void the_reply_of_an_http_step_is_read_as_text_split_at_the_delimiter() throws Exception {
        // a list page answered as bytes: its items, not one item per byte
        server.on("/list", (n, ex) -> Answer.ok("a, b\r\n,c", "text/plain"));
        server.on("/item/*", (n, ex) -> Answer.json("{}"));
        String job = """
                - route:
                    id: listed
                    from:
                      uri: quartz:test/listed
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - to: "{{test.base-url}}/list"
                        - to:
                            uri: caravan:fetch
                            parameters:
                              delimiter: ","
                              url: "{{test.base-url}}/item/${body}"
                              itemKey: "${body}"
                """;
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("listed.yaml", job).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("listed", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(t.query("select item_key from result where run_id = ? order by item_key", run.get("run_id")))
                    .extracting(r -> r.get("item_key")).containsExactly("a", "b", "c");
        }
    }

    @Test
    void with_the_classic_client_a_fetch_step_is_a_load_error_that_says_what_to_do_and_other_jobs_run() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String other = """
                    - route:
                        id: other
                        from:
                          uri: quartz:test/other
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - log: "other"
                    """;
            t.route("job.yaml", fetchJob("job", 2, null)).route("other.yaml", other)
                    .property("test.base-url", server.baseUrl()).property("caravan.http.client", "classic").start();

            assertThat(t.daemon().routeFiles().problems()).singleElement().satisfies(p -> assertThat(p.toString())
                    .contains("job.yaml").contains("caravan.http.client=classic").contains("use split with toD"));
            assertThat(t.daemon().jobs().schedules()).extracting(s -> s.jobId()).containsExactly("other");
        }
    }

    @Test
    void with_a_proxy_for_camel_http_a_fetch_step_is_a_load_error_that_says_what_to_do() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("job.yaml", fetchJob("job", 2, null)).property("test.base-url", server.baseUrl())
                    .property("camel.component.http.proxy-host", "127.0.0.1")
                    .property("camel.component.http.proxy-port", "3128").start();

            assertThat(t.daemon().routeFiles().problems()).singleElement().satisfies(p -> assertThat(p.toString())
                    .contains("job.yaml").contains("camel.component.http.proxy-host").contains("use split with toD"));
            assertThat(t.daemon().jobs().schedules()).isEmpty();
        }
    }

    @Test
    void a_cookie_a_reply_sets_goes_with_the_steps_later_requests_and_never_to_another_run() throws Exception {
        try (TestDaemon t = cookieJob(false)) {
            assertThat(t.runToEnd("job").get("status")).isEqualTo("succeeded");
            assertThat(t.runToEnd("job").get("status")).isEqualTo("succeeded");

            // one item at a time: each run's first request has no cookie, the next ones the one its run was last given
            assertThat(server.requests()).extracting(r -> r.path() + " " + cookieOf(r)).containsExactly(
                    "/item/1 none", "/item/2 sid=s1", "/item/3 sid=s2",
                    "/item/1 none", "/item/2 sid=s4", "/item/3 sid=s5");
        }
    }

    @Test
    void with_camel_https_cookie_management_off_a_fetch_step_sends_no_cookie_back() throws Exception {
        try (TestDaemon t = cookieJob(true)) {
            assertThat(t.runToEnd("job").get("status")).isEqualTo("succeeded");

            assertThat(server.requests()).extracting(r -> r.path() + " " + cookieOf(r))
                    .containsExactly("/item/1 none", "/item/2 none", "/item/3 none");
        }
    }

    /** A started daemon whose job fetches items 1..3 one at a time from a server that sets a new cookie per reply. */
    private TestDaemon cookieJob(boolean cookieManagementOff) throws Exception {
        AtomicInteger replies = new AtomicInteger();
        server.on("/item/*", (n, ex) -> new Answer(200, "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Set-Cookie", "sid=s" + replies.incrementAndGet() + "; Path=/"), 0));
        TestDaemon t = new TestDaemon(home);
        t.route("job.yaml", JobRuns.itemsJob("job", 3, """
                - to:
                    uri: caravan:fetch
                    parameters:
                      delimiter: ","
                      url: "{{test.base-url}}/item/${body}"
                      concurrency: 1
                """)).property("test.base-url", server.baseUrl());
        if (cookieManagementOff) {
            t.property("camel.component.http.cookie-management-disabled", "true");
        }
        try {
            t.start();
        } catch (Exception | AssertionError e) {
            t.close();
            throw e;
        }
        return t;
    }

    private static String cookieOf(FixtureServer.Request request) {
        List<String> cookie = request.headers().get("Cookie");
        return cookie == null || cookie.isEmpty() ? "none" : String.join(";", cookie);
    }
}
