package caravan.runs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.routes.RouteValidator;
import caravan.store.DeadLetterStore;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run past its timeout sends no new request: the items it had not sent are dead-lettered (none lost), the run ends
 * soon after its timeout with the reason, and the job is free for its next fire.
 */
class RunTimeoutIT {

    /** 20 items, one request at a time, 250 ms each: 5 s without a timeout. */
    static final int ITEMS = 20;
    static final String ITEM_LIST = IntStream.rangeClosed(1, ITEMS).mapToObj(Integer::toString).collect(Collectors.joining(","));

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void a_split_past_its_run_timeout_sends_no_more_requests_and_dead_letters_the_items_left() throws Exception {
        server.on("/slow/*", (n, ex) -> Answer.json("{\"ok\":true}").delayed(250));
        try (LogCapture deadlines = LogCapture.of(RunCutoff.class); LogCapture deadLetters = LogCapture.of(DeadLetterStore.class);
                TestDaemon t = new TestDaemon(home)) {
            t.route("slow.yaml", """
                    - route:
                        id: slow
                        from:
                          uri: quartz:test/slow
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                            runTimeout: 1s
                          steps:
                            - setBody:
                                constant: "%s"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - setHeader:
                                      name: CaravanItemKey
                                      simple: "item-${body}"
                                  - toD: "{{test.base-url}}/slow/${body}"
                                  - to: caravan:store
                    """.formatted(ITEM_LIST))
                    .property("test.base-url", server.baseUrl())
                    .property("caravan.http.max-per-host", "1")
                    .start();

            Map<String, Object> run = t.runToEnd("slow", Duration.ofSeconds(20));
            assertCutByTimeout(t, run, "1s");
            assertThat(deadlines.messages(Level.WARN)).as("said once per run").singleElement().asString()
                    .isEqualTo("Run " + run.get("run_id") + " of job slow passed its timeout of 1s: it sends no new request,"
                            + " and the items that would send one are dead-lettered");
            assertThat(deadLetters.messages(Level.WARN)).as("no line per item held back").isEmpty();

            Map<String, Object> next = t.runToEnd("slow", Duration.ofSeconds(20));
            assertThat(next.get("status")).as("the job is free for its next fire").isEqualTo("partial");
        }
    }

    @Test
    void caravan_fetch_stops_at_the_default_run_timeout_too() throws Exception {
        server.on("/slow/*", (n, ex) -> Answer.json("{\"ok\":true}").delayed(250));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("slow-fetch.yaml", """
                    - route:
                        id: slow-fetch
                        from:
                          uri: quartz:test/slow-fetch
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: "%s"
                            - to:
                                uri: caravan:fetch
                                parameters:
                                  delimiter: ","
                                  url: "{{test.base-url}}/slow/${body}"
                                  itemKey: "item-${body}"
                    """.formatted(ITEM_LIST))
                    .property("test.base-url", server.baseUrl())
                    .property("caravan.http.max-per-host", "1")
                    .property("caravan.run-timeout", "1s")
                    .start();

            assertCutByTimeout(t, t.runToEnd("slow-fetch", Duration.ofSeconds(20)), "1s");
        }
    }

    @Test
    void a_pagination_loop_past_its_run_timeout_stops_at_the_page_it_did_not_send() throws Exception {
        // every page links to a next one: without the timeout the loop would never end
        server.on("/pages", (n, ex) -> new Answer(200, ("[{\"page\":" + n + "}]").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Link", "<" + server.baseUrl() + "/pages?p=" + (n + 1) + ">; rel=\"next\""), 200));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("pages.yaml", """
                    - route:
                        id: pages
                        from:
                          uri: quartz:test/pages
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                            runTimeout: 1s
                          steps:
                            - setProperty:
                                name: next
                                simple: "{{test.base-url}}/pages"
                            - loop:
                                doWhile: true
                                simple: "${exchangeProperty.next} != null"
                                steps:
                                  - removeHeaders:
                                      pattern: "*"
                                      excludePattern: "Caravan*"
                                  - setHeader:
                                      name: CamelHttpUri
                                      simple: "${exchangeProperty.next}"
                                  - to: "{{test.base-url}}"
                                  - setProperty:
                                      name: next
                                      method:
                                        beanType: caravan.http.LinkHeader
                                        method: next
                                  - split:
                                      jsonpath: "$[*]"
                                      steps:
                                        - setHeader:
                                            name: CaravanItemKey
                                            simple: "page-${body[page]}"
                                        - marshal:
                                            json: {}
                                        - to: caravan:store
                    """).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("pages", Duration.ofSeconds(20));
            String runId = (String) run.get("run_id");
            assertThat(run.get("status")).isEqualTo("partial");
            assertThat((String) run.get("error")).startsWith("the run passed its timeout of 1s: 1 later request(s) were not sent");
            assertThat(t.count("select count(*) from result where run_id = ?", runId)).as("the pages fetched in time").isBetween(2L, 6L);
            assertThat(t.query("select error from dead_letter where run_id = ?", runId)).singleElement()
                    .satisfies(r -> assertThat((String) r.get("error")).contains("the run passed its timeout of 1s"));
        }
    }

    @Test
    void a_run_that_ends_within_its_timeout_is_not_touched_by_it() throws Exception {
        server.on("/fast/*", (n, ex) -> Answer.json("{\"ok\":true}"));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("fast.yaml", """
                    - route:
                        id: fast
                        from:
                          uri: quartz:test/fast
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                            runTimeout: 1m
                          steps:
                            - setBody:
                                constant: "%s"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - toD: "{{test.base-url}}/fast/${body}"
                                  - to: caravan:store
                    """.formatted(ITEM_LIST)).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("fast", Duration.ofSeconds(20));
            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("error")).isNull();
            assertThat(t.count("select count(*) from result")).isEqualTo(ITEMS);
        }
    }

    @Test
    void validate_shows_a_jobs_run_timeout() throws Exception {
        Path file = Files.writeString(home.resolve("hourly.yaml"), """
                - route:
                    id: hourly
                    from:
                      uri: quartz:test/hourly
                      parameters:
                        cron: "0 0 * * * ?"
                        trigger.timeZone: UTC
                        runTimeout: 50m
                      steps:
                        - log: "hello"
                """);
        RouteValidator.Report report = RouteValidator.validate(List.of(file), home.resolve("none.properties"));
        assertThat(report.problems()).isEmpty();
        assertThat(report.jobs()).singleElement().asString().startsWith("hourly: cron '0 0 * * * ?' in UTC, run timeout 50m, next: ");
    }

    @Test
    void validate_reports_a_run_timeout_that_is_not_a_duration() throws Exception {
        Path file = Files.writeString(home.resolve("bad.yaml"), """
                - route:
                    id: bad
                    from:
                      uri: quartz:test/bad
                      parameters:
                        cron: "0 0 * * * ?"
                        runTimeout: soon
                      steps:
                        - log: "hello"
                """);
        RouteValidator.Report report = RouteValidator.validate(List.of(file), home.resolve("none.properties"));
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.file().getFileName().toString()).isEqualTo("bad.yaml");
            assertThat(p.message()).contains("runTimeout=soon is not a duration: write a number with ms, s, m, h or d");
        });
    }

    private void assertCutByTimeout(TestDaemon t, Map<String, Object> run, String timeout) {
        String runId = (String) run.get("run_id");
        assertThat(run.get("status")).isEqualTo("partial");
        assertThat((String) run.get("error")).startsWith("the run passed its timeout of " + timeout + ": ")
                .contains(" later request(s) were not sent, their items dead-lettered");
        long stored = t.count("select count(*) from result where run_id = ?", runId);
        long dead = t.count("select count(*) from dead_letter where run_id = ?", runId);
        assertThat(stored).as("what was answered before the timeout is stored").isPositive();
        assertThat(stored + dead).as("every item stored or dead-lettered").isEqualTo(ITEMS);
        assertThat(((Number) run.get("items_total")).longValue()).isEqualTo(ITEMS);
        assertThat(t.query("select error, failure_kind from dead_letter where run_id = ?", runId)).allSatisfy(r -> {
            assertThat((String) r.get("error")).contains("the run passed its timeout of " + timeout);
            assertThat(r.get("failure_kind")).isEqualTo("cut_off");
        });
        Duration took = Duration.between(((OffsetDateTime) run.get("started_at")).toInstant(),
                ((OffsetDateTime) run.get("finished_at")).toInstant());
        assertThat(took).as("cut at its timeout, not after all %d requests (5 s)", ITEMS).isLessThan(Duration.ofMillis(3500));
    }
}
