package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.routes.RouteValidator;
import caravan.runs.RunRecorder;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Files;
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

/**
 * caravan retry JOB: a run that redoes only the items another run dead-lettered, through the job's own route, each
 * of them ending as a result or a dead letter of the retry run.
 */
class RetryIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    /** Paths the fixture server fails with 500 until a test lets them through. */
    final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** The items come from the site's list; each is a split branch, keyed by CaravanItemKey or by its URI. */
    static String splitJob(boolean named) {
        return """
                - route:
                    id: sites
                    from:
                      uri: quartz:test/sites
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - to: "{{test.base-url}}/list"
                        - split:
                            tokenize: ","
                            parallelProcessing: true
                            steps:
                %s
                              - toD: "{{test.base-url}}/sites/${body}"
                              - to: caravan:store
                """.formatted(named ? """
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "site:${body}"
                """.stripTrailing() : "");
    }

    static final String FETCH_JOB = """
            - route:
                id: sites
                from:
                  uri: quartz:test/sites
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - to: "{{test.base-url}}/list"
                    - to:
                        uri: caravan:fetch
                        parameters:
                          delimiter: ","
                          url: "{{test.base-url}}/sites/${body}"
                """;

    void serve(String list) {
        server.on("/list", (n, ex) -> Answer.ok(list, "text/plain"));
        server.on("/sites/*", (n, ex) -> failing.contains(ex.getRequestURI().getPath())
                ? Answer.status(500) : Answer.json("{\"site\":\"" + ex.getRequestURI().getPath() + "\"}"));
    }

    TestDaemon daemon(String job) {
        return new TestDaemon(home).route("sites.yaml", job).property("test.base-url", server.baseUrl())
                .property("caravan.retry.max-attempts", "1");
    }

    @Test
    void a_retry_redoes_only_the_named_items_the_run_dead_lettered() throws Exception {
        retriesOnlyTheFailedItems(splitJob(true), List.of("site:b", "site:d"));
    }

    @Test
    void a_retry_redoes_only_the_unnamed_split_items_the_run_dead_lettered_by_their_uri() throws Exception {
        retriesOnlyTheFailedItems(splitJob(false), List.of(server.baseUrl() + "/sites/b", server.baseUrl() + "/sites/d"));
    }

    @Test
    void a_retry_of_a_fetch_step_fetches_only_the_urls_it_dead_lettered() throws Exception {
        retriesOnlyTheFailedItems(FETCH_JOB, List.of(server.baseUrl() + "/sites/b", server.baseUrl() + "/sites/d"));
    }

    private void retriesOnlyTheFailedItems(String job, List<String> failedKeys) throws Exception {
        serve("a,b,c,d");
        failing.addAll(List.of("/sites/b", "/sites/d"));
        try (TestDaemon t = daemon(job)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.start();
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("status")).isEqualTo("partial");
            assertThat(t.query("select item_key from dead_letter where run_id = ?", first.get("run_id")))
                    .extracting(r -> r.get("item_key")).containsExactlyInAnyOrderElementsOf(failedKeys);

            failing.clear(); // the site is back
            int before = server.requests().size();
            Cli retry = Cli.run("retry", "sites", "--wait", "--jmx", jmx);

            assertThat(retry.exitCode()).as(retry.out() + retry.err()).isZero();
            assertThat(retry.out()).contains("retries the 2 item(s) of job sites dead-lettered in run " + first.get("run_id"),
                    "succeeded in ", "2 items, 2 stored, 0 dead-lettered");
            assertThat(server.requests().subList(before, server.requests().size()))
                    .extracting(FixtureServer.Request::path)
                    .as("the list again, and only the items that failed")
                    .containsExactlyInAnyOrder("/list", "/sites/b", "/sites/d");
            String retryRun = retry.out().lines().findFirst().orElseThrow();
            Map<String, Object> row = t.query("select * from job_run where run_id = ?", retryRun).get(0);
            assertThat(row).containsEntry("trigger_type", "retry").containsEntry("status", "succeeded")
                    .containsEntry("retry_of", first.get("run_id"));
            Cli history = Cli.run("history", "sites", "--jmx", jmx);
            assertThat(history.out()).contains("retry of " + first.get("run_id"));
            assertThat(t.query("select item_key from result where run_id = ?", retryRun))
                    .extracting(r -> r.get("item_key")).containsExactlyInAnyOrderElementsOf(failedKeys);
        }
    }

    @Test
    void an_item_that_no_longer_comes_up_is_a_dead_letter_of_the_retry_run_with_its_payload() throws Exception {
        serve("a,b,c");
        failing.addAll(List.of("/sites/b", "/sites/c"));
        try (TestDaemon t = daemon(splitJob(true))) {
            t.start();
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("items_failed")).isEqualTo(2);

            serve("a,b"); // c is gone from the site's list
            failing.clear();
            Map<String, Object> retry = t.awaitRun(t.daemon().jobs().retry("sites", (String) first.get("run_id")).runId(),
                    java.time.Duration.ofSeconds(30));

            assertThat(retry).containsEntry("status", "partial").containsEntry("items_total", 2).containsEntry("items_failed", 1);
            List<Map<String, Object>> dead = t.query("select * from dead_letter where run_id = ?", retry.get("run_id"));
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d).containsEntry("item_key", "site:c").containsEntry("attempts", 0)
                        .containsEntry("error", RunRecorder.NOT_RETRIED).containsEntry("payload", "c");
                assertThat((String) d.get("endpoint")).endsWith("/sites/c");
            });
            assertThat(t.query("select level, message from run_log where run_id = ?", retry.get("run_id")))
                    .as("the run's log has what its ending said").anySatisfy(r -> {
                        assertThat(r.get("level")).isEqualTo("WARN");
                        assertThat((String) r.get("message")).contains("did not come up");
                    });
        }
    }

    /** The README's pattern: a retry run splits the keys it is given instead of asking the site for its list. */
    static final String KEYS_JOB = """
            - route:
                id: sites
                from:
                  uri: quartz:test/sites
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - choice:
                        when:
                          - simple: "${exchangeProperty.CaravanRetryOf} != null"
                            steps:
                              - setBody:
                                  simple: "${exchangeProperty.CaravanRetryItems}"
                        otherwise:
                          steps:
                            - to: "{{test.base-url}}/list"
                            - convertBodyTo:
                                type: String
                    - split:
                        simple: "${body}"        # the keys, or the list's comma-separated text
                        parallelProcessing: true
                        steps:
                          - setHeader:
                              name: CaravanItemKey
                              simple: "${body}"
                          - toD: "{{test.base-url}}/sites/${body}"
                          - to: caravan:store
            """;

    @Test
    void a_job_can_split_the_keys_of_its_retry_run_instead_of_its_usual_list() throws Exception {
        serve("a,b,c");
        failing.add("/sites/c");
        try (TestDaemon t = daemon(KEYS_JOB)) {
            t.start();
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("items_failed")).isEqualTo(1);

            failing.clear();
            int before = server.requests().size();
            Map<String, Object> retry = t.awaitRun(t.daemon().jobs().retry("sites", null).runId(), java.time.Duration.ofSeconds(30));

            assertThat(retry).containsEntry("status", "succeeded").containsEntry("items_total", 1);
            assertThat(server.requests().subList(before, server.requests().size()))
                    .extracting(FixtureServer.Request::path).containsExactly("/sites/c");
        }
    }

    /** The named split job, retrying its dead letters on its own a second after each run, twice in a row at most. */
    static String retryingJob() {
        return splitJob(true).replace("cron: \"0 0 0 1 1 ? 2099\"\n",
                "cron: \"0 0 0 1 1 ? 2099\"\n        retryDeadLetters: 1s\n        retryDeadLettersMax: 2\n");
    }

    @Test
    void a_job_with_retryDeadLetters_retries_them_on_its_own_until_they_pass_or_it_has_retried_the_most_times() throws Exception {
        serve("a,b,c,x,j");
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        // b never passes; c fails in the run and in its first retry, then passes; x is not there (404); j's answer
        // is not JSON, so the job's own step fails on it
        server.on("/sites/*", (n, ex) -> {
            String path = ex.getRequestURI().getPath();
            int attempt = tries.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            boolean fails = path.equals("/sites/b") || path.equals("/sites/c") && attempt <= 2;
            return path.equals("/sites/x") ? Answer.status(404) : fails ? Answer.status(500)
                    : path.equals("/sites/j") ? Answer.ok("<html>maintenance</html>", "text/html") : Answer.json("{\"ok\":1}");
        });
        String job = retryingJob().replaceFirst("( *)- to: caravan:store",
                "$1- setHeader:\n$1    name: Ok\n$1    jsonpath: \"\\$.ok\"\n$1- to: caravan:store");
        try (TestDaemon t = daemon(job)) {
            t.start();
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("items_failed")).isEqualTo(4);
            assertThat(t.query("select item_key, failure_kind from dead_letter where run_id = ?", first.get("run_id")))
                    .extracting(r -> r.get("item_key") + "=" + r.get("failure_kind"))
                    .containsExactlyInAnyOrder("site:b=transient", "site:c=transient", "site:x=permanent", "site:j=permanent");

            await().atMost(Duration.ofSeconds(15)).until(() ->
                    t.count("select count(*) from job_run where trigger_type = 'retry' and status <> 'running'") == 2);
            List<Map<String, Object>> retries = t.query("select * from job_run where trigger_type = 'retry' order by started_at");
            assertThat(retries).extracting(r -> r.get("status") + " " + r.get("items_total") + "/" + r.get("items_failed"))
                    .containsExactly("failed 2/2", "partial 2/1"); // every item of the first retry failed again
            assertThat(t.query("select item_key from result where run_id = ?", retries.get(1).get("run_id")))
                    .extracting(r -> r.get("item_key")).containsExactly("site:c");
            assertThat(retries).extracting(r -> r.get("retry_of")).as("each retries the run before it")
                    .containsExactly(first.get("run_id"), retries.get(0).get("run_id"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                    t.count("select count(*) from job_run") == 3);
            assertThat(tries.get("/sites/a").get()).as("a passed in the run and was never retried").isEqualTo(1);
            assertThat(tries.get("/sites/x").get()).as("a 404 is not retried on its own").isEqualTo(1);
            assertThat(tries.get("/sites/j").get()).as("nor is an item the job's own step failed on").isEqualTo(1);
        }
    }

    @Test
    void an_automatic_retry_of_a_paused_job_is_recorded_as_skipped() throws Exception {
        serve("a,b");
        failing.add("/sites/b");
        try (TestDaemon t = daemon(retryingJob())) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.start();
            Cli jobs = Cli.run("jobs", "--json", "--jmx", jmx);
            assertThat(jobs.out()).as("the job's options").contains("\"retry_dead_letters\":\"1s\"",
                    "\"retry_dead_letters_max\":2", "\"run_timeout\":null", "\"catchup\":\"skip\"");
            assertThat(Cli.run("jobs", "--jmx", jmx).out()).contains("OPTIONS", "dead letters retried after 1s (2 in a row)");
            t.daemon().jobs().pause("sites");
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("status")).isEqualTo("partial");

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    t.count("select count(*) from job_run where trigger_type = 'retry'") == 1);
            Map<String, Object> skipped = t.query("select * from job_run where trigger_type = 'retry'").get(0);
            assertThat(skipped.get("status")).isEqualTo("skipped");
            assertThat((String) skipped.get("error")).startsWith("the job is paused: the automatic retry of the dead letters of run "
                    + first.get("run_id"));
            assertThat(server.count("/sites/b")).as("no request while paused").isEqualTo(1);
        }
    }

    @Test
    void validate_shows_a_jobs_automatic_retries_and_reports_a_bad_maximum(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("daily.yaml"), """
                - route:
                    id: daily
                    from:
                      uri: quartz:test/daily
                      parameters:
                        cron: "0 0 6 * * ?"
                        trigger.timeZone: UTC
                        retryDeadLetters: 1h
                      steps:
                        - log: "hello"
                """);
        RouteValidator.Report report = RouteValidator.validate(List.of(good), dir.resolve("none.properties"));
        assertThat(report.problems()).isEmpty();
        assertThat(report.jobs()).singleElement().asString()
                .startsWith("daily: cron '0 0 6 * * ?' in UTC, dead letters retried after 1h (at most 3 times in a row), next: ");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), Files.readString(good).replace("daily", "bad")
                .replace("retryDeadLetters: 1h", "retryDeadLetters: 1h\n        retryDeadLettersMax: 0"));
        assertThat(RouteValidator.validate(List.of(bad), dir.resolve("none.properties")).problems()).singleElement()
                .satisfies(p -> {
                    assertThat(p.file().getFileName().toString()).isEqualTo("bad.yaml");
                    assertThat(p.message()).contains("retryDeadLettersMax=0 must be a whole number, 1 or more");
                });
    }

    @Test
    void an_automatic_retry_due_while_the_daemon_was_stopped_runs_when_it_is_back() throws Exception {
        serve("a,b");
        failing.add("/sites/b");
        try (TestDaemon t = daemon(retryingJob())) {
            t.start();
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("status")).isEqualTo("partial");
            t.stop(); // before the retry is due, a second after the run
            failing.clear();
            java.time.Instant due = ((java.time.OffsetDateTime) first.get("finished_at")).toInstant().plusSeconds(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> java.time.Instant.now().isAfter(due));

            t.start();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    t.count("select count(*) from job_run where trigger_type = 'retry' and status = 'succeeded'") == 1);
            assertThat(t.query("select item_key from result where run_id ="
                    + " (select run_id from job_run where trigger_type = 'retry')")).extracting(r -> r.get("item_key"))
                    .containsExactly("site:b");
        }
    }

    @Test
    void an_automatic_retry_that_comes_while_the_job_runs_waits_for_it_instead_of_being_skipped() throws Exception {
        serve("a,b");
        failing.add("/sites/b");
        try (TestDaemon t = daemon(retryingJob())) {
            t.start();
            Map<String, Object> first = t.runToEnd("sites");
            assertThat(first.get("status")).isEqualTo("partial");
            // the next run holds the job past the retry's time, a second after the first run
            server.on("/list", (n, ex) -> Answer.ok("a,b", "text/plain").delayed(2500));
            failing.clear();
            String busy = t.daemon().jobs().trigger("sites");

            Map<String, Object> retry = t.awaitRun(await().atMost(Duration.ofSeconds(20)).until(() -> t.query(
                    "select run_id from job_run where trigger_type = 'retry'"), rows -> !rows.isEmpty())
                    .get(0).get("run_id").toString(), Duration.ofSeconds(20));

            assertThat(retry).containsEntry("status", "succeeded").containsEntry("retry_of", first.get("run_id"));
            assertThat(t.count("select count(*) from job_run where status = 'skipped'")).isZero();
            assertThat(((java.time.OffsetDateTime) retry.get("started_at")).toInstant())
                    .isAfter(((java.time.OffsetDateTime) t.awaitRun(busy, Duration.ofSeconds(10)).get("finished_at")).toInstant());
        }
    }

    @Test
    void a_retry_is_refused_when_there_is_nothing_to_retry_or_no_such_run() throws Exception {
        serve("a");
        try (TestDaemon t = daemon(splitJob(true))) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.start();

            assertThat(Cli.run("jobs", "--jmx", jmx).out()).as("no options, no column").contains("LAST RUN")
                    .doesNotContain("OPTIONS");
            Cli none = Cli.run("retry", "sites", "--jmx", jmx);
            assertThat(none.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
            assertThat(none.err()).contains("Job sites has no run with dead letters: nothing to retry");

            Map<String, Object> clean = t.runToEnd("sites");
            Cli noDeadLetters = Cli.run("retry", "sites", "--run", (String) clean.get("run_id"), "--jmx", jmx);
            assertThat(noDeadLetters.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
            assertThat(noDeadLetters.err()).contains("has no dead letters: nothing to retry");

            Cli unknown = Cli.run("retry", "sites", "--run", "no-such-run", "--jmx", jmx);
            assertThat(unknown.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
            assertThat(unknown.err()).contains("Job sites has no run no-such-run");

            assertThat(t.count("select count(*) from job_run")).as("nothing fired").isEqualTo(1);
        }
    }
}
