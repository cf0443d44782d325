package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Jobs chained with the {@code after} option, through the daemon: each end of the job before starts one run. */
class ChainedJobsIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    /** GETs {{site}}/scrape/a and /scrape/b and stores both: succeeded, partial or failed as the server answers. */
    static final String SCRAPE = """
            - route:
                id: scrape
                from:
                  uri: quartz:test/scrape
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setBody:
                        constant: "a,b"
                    - split:
                        tokenize: ","
                        steps:
                          - toD: "{{site}}/scrape/${body}"
                          - to: caravan:store
            """;

    /** A job chained after {@code upstream} that stores which run it came after, under {@code options}. */
    static String chained(String id, String options) {
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:test/%s
                      parameters:
                %s
                      steps:
                        - setBody:
                            simple: "${exchangeProperty.CaravanAfterJob} ${exchangeProperty.CaravanAfterRun}"
                        - setHeader:
                            name: CaravanItemKey
                            constant: came-after
                        - to: caravan:store?skipUnchanged=false
                """.formatted(id, id, options.indent(8).stripTrailing());
    }

    private static TestDaemon daemon(Path home, FixtureServer server) {
        return new TestDaemon(home).property("site", server.baseUrl()).property("caravan.retry.max-attempts", "1");
    }

    @Test
    void a_chained_job_runs_after_each_end_it_asks_for_and_knows_which_run_came_before() throws Exception {
        server.on("/scrape/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = daemon(home, server)) {
            t.route("scrape.yaml", SCRAPE)
                    .route("report.yaml", chained("report", "after: scrape"))
                    .route("audit.yaml", chained("audit", "after: scrape\nafterStatus: partial,failed")).start();

            Map<String, Object> good = t.runToEnd("scrape");
            assertThat(good.get("status")).isEqualTo("succeeded");
            Map<String, Object> report = awaitRunOf(t, "report", 1);
            assertThat(report.get("trigger_type")).isEqualTo("after");
            assertThat(report.get("after_run")).isEqualTo(good.get("run_id"));
            assertThat(report.get("status")).isEqualTo("succeeded");
            assertThat(t.query("select payload from result where run_id = ?", report.get("run_id")))
                    .extracting(r -> r.get("payload")).containsExactly("scrape " + good.get("run_id"));

            server.on("/scrape/b", (n, ex) -> Answer.status(404));
            Map<String, Object> partial = t.runToEnd("scrape");
            assertThat(partial.get("status")).isEqualTo("partial");
            Map<String, Object> audit = awaitRunOf(t, "audit", 1);
            assertThat(audit.get("after_run")).isEqualTo(partial.get("run_id"));
            await().atMost(Duration.ofSeconds(5)).until(() -> t.count("select count(*) from job_run where chain_pending") == 0);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> runsOf(t, "report").size() == 1 && runsOf(t, "audit").size() == 1);

            t.daemon().jobs().pause("report");
            server.on("/scrape/b", (n, ex) -> Answer.json("{}"));
            assertThat(t.runToEnd("scrape").get("status")).isEqualTo("succeeded");
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> runsOf(t, "report").size() == 1);
        }
    }

    @Test
    void a_chained_job_reads_the_results_of_the_run_it_came_after_with_camel_sql() throws Exception {
        server.on("/scrape/*", (n, ex) -> Answer.json("{\"page\":\"" + ex.getRequestURI().getPath() + "\"}"));
        String report = """
                - route:
                    id: report
                    from:
                      uri: quartz:test/report
                      parameters:
                        after: scrape
                      steps:
                        - to: "sql:select item_key, payload from result where run_id = :#${exchangeProperty.CaravanAfterRun} order by item_key?dataSource=#caravanDataSource"
                        - setBody:
                            simple: "${body.size()} results: ${body[0][payload]} ${body[1][payload]}"
                        - setHeader:
                            name: CaravanItemKey
                            constant: report
                        - to: caravan:store
                """;
        try (TestDaemon t = daemon(home, server)) {
            t.route("scrape.yaml", SCRAPE).route("report.yaml", report).start();

            t.runToEnd("scrape");
            Map<String, Object> run = awaitRunOf(t, "report", 1);

            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(t.query("select payload from result where run_id = ?", run.get("run_id")))
                    .extracting(r -> r.get("payload"))
                    .containsExactly("2 results: {\"page\":\"/scrape/a\"} {\"page\":\"/scrape/b\"}");
        }
    }

    @Test
    void a_cycle_of_after_options_stops_where_it_comes_back() throws Exception {
        try (TestDaemon t = daemon(home, server)) {
            t.route("ping.yaml", chained("ping", "cron: \"0 0 0 1 1 ? 2099\"\nafter: pong"))
                    .route("pong.yaml", chained("pong", "after: ping")).start();

            Map<String, Object> ping = t.runToEnd("ping");
            Map<String, Object> pong = awaitRunOf(t, "pong", 1);
            assertThat(pong.get("after_run")).isEqualTo(ping.get("run_id"));

            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> runsOf(t, "ping").size() == 1 && runsOf(t, "pong").size() == 1);
        }
    }

    /** A job after scrape whose one GET answers only once the test releases it. */
    static final String SLOW = """
            - route:
                id: slow
                from:
                  uri: quartz:test/slow
                  parameters:
                    after: scrape
                  steps:
                    - to: "{{site}}/slow"
                    - to: caravan:store
            """;

    private CountDownLatch slowUntilReleased() {
        CountDownLatch release = new CountDownLatch(1);
        server.on("/scrape/*", (n, ex) -> Answer.json("{}"))
                .on("/slow", (n, ex) -> {
                    release.await(20, TimeUnit.SECONDS);
                    return Answer.json("{}");
                });
        return release;
    }

    @Test
    void a_chained_fire_that_meets_its_job_running_waits_and_ends_before_it_while_it_waits_add_none() throws Exception {
        CountDownLatch release = slowUntilReleased();
        try (TestDaemon t = daemon(home, server)) {
            t.route("scrape.yaml", SCRAPE).route("slow.yaml", SLOW).start();

            String first = (String) t.runToEnd("scrape").get("run_id");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/slow") == 1);
            String second = (String) t.runToEnd("scrape").get("run_id");
            t.runToEnd("scrape");
            t.runToEnd("scrape");
            release.countDown();

            await().atMost(Duration.ofSeconds(15)).until(() -> runsOf(t, "slow").size() == 2
                    && runsOf(t, "slow").stream().allMatch(r -> "succeeded".equals(r.get("status"))));
            assertThat(runsOf(t, "slow")).extracting(r -> r.get("after_run")).containsExactly(first, second);
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> runsOf(t, "slow").size() == 2);
            assertThat(t.count("select count(*) from job_run where job_id = 'slow' and status = 'skipped'")).isZero();
        }
    }

    @Test
    void a_chained_fire_waiting_for_its_busy_job_is_dropped_when_the_job_is_paused_meanwhile() throws Exception {
        CountDownLatch release = slowUntilReleased();
        try (TestDaemon t = daemon(home, server)) {
            t.route("scrape.yaml", SCRAPE).route("slow.yaml", SLOW).start();

            t.runToEnd("scrape");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/slow") == 1);
            t.runToEnd("scrape");
            // the second chained fire meets slow running and waits; let it try at least once before the pause
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
            t.daemon().jobs().pause("slow");
            release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> runsOf(t, "slow").size() == 1
                    && "succeeded".equals(runsOf(t, "slow").get(0).get("status")));
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> runsOf(t, "slow").size() == 1);
            assertThat(server.count("/slow")).isEqualTo(1);
        }
    }

    @Test
    void the_runs_after_an_end_that_the_daemon_stopped_before_scheduling_start_when_it_is_back() throws Exception {
        server.on("/scrape/*", (n, ex) -> Answer.json("{}"));
        try (TestDaemon t = daemon(home, server).property("caravan.cluster.node-id", "node-a")) {
            t.route("scrape.yaml", SCRAPE).route("report.yaml", chained("report", "after: scrape")).start();
            t.stop();
            // As the end of a run is left when the daemon dies between committing it and scheduling the runs after it
            t.execute(ended("lost-end", "scrape", "node-a", "succeeded", true));
            t.execute(ended("seen-end", "scrape", "node-a", "succeeded", true)); // its run after it did start
            t.execute(ended("report-1", "report", "node-a", "succeeded", false)
                    .replace("false)", "false, 'seen-end')").replace("chain_pending)", "chain_pending, after_run)"));
            t.execute(ended("failed-end", "scrape", "node-a", "failed", true)); // report runs after succeeded ones only
            t.execute(ended("other-node", "scrape", "node-b", "succeeded", true)); // that node's own to start
            t.start();

            Map<String, Object> report = await().atMost(Duration.ofSeconds(10)).until(() -> runsOf(t, "report").stream()
                    .filter(r -> "after".equals(r.get("trigger_type")) && !"running".equals(r.get("status"))).toList(),
                    runs -> !runs.isEmpty()).get(0);
            assertThat(report.get("after_run")).isEqualTo("lost-end");
            await().atMost(Duration.ofSeconds(5)).until(() -> t.query(
                    "select run_id from job_run where chain_pending order by run_id").equals(List.of(Map.of("run_id", "other-node"))));
            await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(3)).until(() -> runsOf(t, "report").size() == 2);
        }
    }

    /** A {@code job_run} row of a run that ended an hour ago, as the end of a run writes it. */
    private static String ended(String runId, String jobId, String node, String status, boolean chainPending) {
        return ("insert into job_run (run_id, job_id, trigger_type, scheduled_at, node_id, started_at, finished_at, status,"
                + " items_total, items_failed, items_changed, chain_pending) values ('%s', '%s', 'manual',"
                + " dateadd('HOUR', -1, current_timestamp), '%s', dateadd('HOUR', -1, current_timestamp),"
                + " dateadd('MINUTE', -59, current_timestamp), '%s', 2, 0, 0, %s)").formatted(runId, jobId, node, status, chainPending);
    }

    @Test
    void an_after_status_that_is_not_one_is_a_load_error_that_says_what_to_write() throws Exception {
        try (TestDaemon t = daemon(home, server)) {
            t.route("scrape.yaml", SCRAPE).route("report.yaml", chained("report", "after: scrape\nafterStatus: done")).start();

            assertThat(t.daemon().routeFiles().problems()).singleElement().satisfies(p -> assertThat(p.toString())
                    .contains("report.yaml").contains("afterStatus=done").contains("succeeded, partial, failed"));
            assertThat(t.daemon().jobs().schedules()).extracting(s -> s.jobId()).containsExactly("scrape");
        }
    }

    private static List<Map<String, Object>> runsOf(TestDaemon t, String jobId) {
        return t.query("select * from job_run where job_id = ? order by started_at", jobId);
    }

    private static Map<String, Object> awaitRunOf(TestDaemon t, String jobId, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> t.count(
                "select count(*) from job_run where job_id = ? and status <> 'running'", jobId) >= n);
        return runsOf(t, jobId).get(n - 1);
    }
}
