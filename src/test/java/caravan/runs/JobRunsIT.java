package caravan.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** How runs are recorded: overlap, crashes, shutdown, unreachable sites. */
class JobRunsIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    private static String slowJob(String id, String url) {
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:test/%s
                      parameters:
                        cron: "0/1 * * * * ?"
                      steps:
                        - setHeader:
                            name: CamelHttpMethod
                            constant: GET
                        - to: "%s"
                        - setHeader:
                            name: CaravanItemKey
                            constant: slow-page
                        - to: caravan:store
                """.formatted(id, id, url);
    }

    @Test
    void a_fire_while_the_job_still_runs_is_recorded_as_skipped() throws Exception {
        server.on("/slow", (n, ex) -> Answer.html("<p>slow</p>").delayed(2500));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("slow.yaml", slowJob("slow-job", server.baseUrl() + "/slow")).start();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    t.count("select count(*) from job_run where job_id = 'slow-job' and status = 'skipped'") >= 1
                    && t.count("select count(*) from job_run where job_id = 'slow-job' and status = 'succeeded'") >= 1);
            Map<String, Object> skipped = t.query("select * from job_run where status = 'skipped'"
                    + " fetch first 1 rows only").get(0);
            assertThat(skipped.get("trigger_type")).isEqualTo("schedule");
            assertThat(skipped.get("error")).isEqualTo("previous run still in progress");
            assertThat(skipped.get("finished_at")).isNotNull();
            assertThat(server.maxInFlight()).as("the job never overlapped itself").isEqualTo(1);
        }
    }

    @Test
    void a_run_left_running_by_a_crash_is_marked_interrupted_at_the_next_start() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.start();
            String node = t.daemon().settings().nodeId();
            t.stop();
            t.execute("insert into job_run (run_id, job_id, trigger_type, scheduled_at, node_id, started_at, status)"
                    + " values ('crashed-1', 'some-job', 'schedule', current_timestamp, '" + node + "', current_timestamp, 'running')");
        }
        try (TestDaemon t = new TestDaemon(home)) {
            t.start();
            Map<String, Object> run = t.query("select * from job_run where run_id = 'crashed-1'").get(0);
            assertThat(run.get("status")).isEqualTo("interrupted");
            assertThat(run.get("finished_at")).isNotNull();
            assertThat((String) run.get("error")).contains("process stopped during the run");
        }
    }

    @Test
    void a_stop_waits_for_the_shutdown_timeout_then_marks_the_run_interrupted() throws Exception {
        server.on("/forever", (n, ex) -> Answer.html("late").delayed(20_000));
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.shutdown-timeout", "1s")
                    .route("forever.yaml", slowJob("forever-job", server.baseUrl() + "/forever")
                            .replaceFirst("( *)- setHeader:", "$1- log: \"asking the page that never answers\"\n$0")).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/forever") >= 1);
            t.stop();
            assertThat(t.count("select count(*) from job_run where status = 'running'")).isZero();
            Map<String, Object> run = t.query("select * from job_run where job_id = 'forever-job'"
                    + " and status <> 'skipped'").get(0);
            assertThat(run.get("status")).isEqualTo("interrupted");
            assertThat((String) run.get("error")).contains("daemon stopped before the run finished");
            assertThat(t.query("select message from run_log where run_id = ?", run.get("run_id")))
                    .as("what the run was doing when the stop cut it is kept with it")
                    .extracting(r -> r.get("message")).contains("asking the page that never answers");
        }
    }

    @Test
    void a_run_that_finishes_within_the_shutdown_timeout_is_recorded_as_it_ended() throws Exception {
        server.on("/slow", (n, ex) -> Answer.html("<p>slow</p>").delayed(1500));
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.shutdown-timeout", "10s")
                    .route("slow.yaml", slowJob("slow-job", server.baseUrl() + "/slow")).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.count("/slow") >= 1);
            t.stop();
            assertThat(t.count("select count(*) from job_run where status in ('running', 'interrupted')")).isZero();
            assertThat(t.count("select count(*) from job_run where status = 'succeeded'")).isEqualTo(1);
            assertThat(t.count("select count(*) from result")).isEqualTo(1);
        }
    }

    @Test
    void an_unreachable_site_fails_the_run_with_its_error_and_the_daemon_keeps_firing() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("down.yaml", slowJob("down-job", "http://127.0.0.1:9/nothing-listens-here")).start();
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    t.count("select count(*) from job_run where job_id = 'down-job' and status = 'failed'") >= 2);
            Map<String, Object> run = t.query("select * from job_run where status = 'failed' fetch first 1 rows only").get(0);
            assertThat((String) run.get("error")).containsIgnoringCase("connect");
            assertThat(t.daemon().camel().getRouteController().getRouteStatus("down-job").isStarted()).isTrue();
        }
    }

    @Test
    void a_trigger_right_after_a_run_ended_is_not_skipped() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("quick.yaml", """
                    - route:
                        id: quick-job
                        from:
                          uri: quartz:test/quick
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                simple: "${date:now}"
                            - setHeader:
                                name: CaravanItemKey
                                constant: now
                            - to: caravan:store
                    """).start();
            for (int i = 0; i < 10; i++) {
                String runId = t.daemon().jobs().trigger("quick-job");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() ->
                        t.count("select count(*) from job_run where run_id = ? and status <> 'running'", runId) == 1);
                assertThat(t.query("select status from job_run where run_id = ?", runId).get(0).get("status"))
                        .as("run %d", i).isEqualTo("succeeded");
            }
        }
    }
}
