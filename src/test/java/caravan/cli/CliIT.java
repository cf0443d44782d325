package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a running daemon, end to end over JMX. */
class CliIT {

    @TempDir
    Path home;

    @Test
    void jobs_trigger_wait_history_pause_and_resume_work_against_a_running_daemon() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).route("slow.yaml", TestJobs.SLOW).start();

            Cli jobs = Cli.run("jobs", "--jmx", jmx);
            assertThat(jobs.exitCode()).isZero();
            assertThat(jobs.out()).contains("JOB    SCHEDULE          TIME ZONE  NEXT FIRE", "quick  0 0 0 1 1 ? 2099",
                    "2099-01-01T00:00:00", "slow ");

            Cli trigger = Cli.run("trigger", "quick", "--wait", "--jmx", jmx);
            assertThat(trigger.exitCode()).as(trigger.err()).isZero();
            String runId = trigger.out().lines().findFirst().orElseThrow();
            assertThat(trigger.out()).contains("succeeded in ", "1 items, 1 stored, 0 dead-lettered, 1 changed");
            assertThat(t.query("select trigger_type, status from job_run where run_id = ?", runId).get(0))
                    .containsEntry("trigger_type", "manual").containsEntry("status", "succeeded");

            Cli history = Cli.run("history", "quick", "--limit", "5", "--jmx", jmx);
            assertThat(history.exitCode()).isZero();
            assertThat(history.out()).contains("RUN", "TRIGGER", "STATUS", runId, "manual", "succeeded");
            assertThat(caravan.jmx.Json.readRows(Cli.run("history", "quick", "--json", "--jmx", jmx).out())).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("run_id", runId).containsEntry("status", "succeeded")
                            .containsEntry("items_total", 1));
            assertThat(caravan.jmx.Json.readRow(Cli.run("jobs", "--json", "--jmx", jmx).out()))
                    .containsEntry("load_errors", java.util.List.of()).extractingByKey("jobs").asList().hasSize(2);

            assertThat(Cli.run("pause", "quick", "--jmx", jmx).exitCode()).isZero();
            assertThat(Cli.run("jobs", "--jmx", jmx).out()).containsPattern("quick .* yes +succeeded");
            assertThat(Cli.run("resume", "quick", "--jmx", jmx).exitCode()).isZero();
            assertThat(Cli.run("jobs", "--jmx", jmx).out()).containsPattern("quick .* no +succeeded");
        }
    }

    @Test
    void jobs_and_validate_show_a_chained_job_as_running_after_others_with_no_schedule_of_its_own() throws Exception {
        String report = """
                - route:
                    id: report
                    from:
                      uri: quartz:test/report
                      parameters:
                        after: quick
                        afterStatus: succeeded,partial
                      steps:
                        - log: "report"
                """;
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            String typo = report.replace("id: report", "id: typo").replace("test/report", "test/typo")
                    .replace("after: quick", "after: quikc");
            t.route("quick.yaml", TestJobs.QUICK).route("report.yaml", report).route("typo.yaml", typo).start();

            Cli jobs = Cli.run("jobs", "--jmx", jmx);
            assertThat(jobs.out()).containsPattern("report +\\(after other jobs\\) .* after quick \\(succeeded, partial\\)")
                    .containsPattern("typo .* after quikc \\(succeeded, partial; not loaded: quikc\\)");
            assertThat(caravan.jmx.Json.readRow(Cli.run("jobs", "--json", "--jmx", jmx).out())).extractingByKey("jobs")
                    .asList().anySatisfy(j -> assertThat(asMap(j)).containsEntry("id", "report")
                            .containsEntry("cron", null).containsEntry("next_fire", null)
                            .containsEntry("after", java.util.List.of("quick"))
                            .containsEntry("after_status", java.util.List.of("succeeded", "partial")));
        }
        Path file = home.resolve("report-only.yaml");
        java.nio.file.Files.writeString(file, report);
        Cli validate = Cli.run("validate", file.toString());
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.out()).contains("report: runs after quick (succeeded, partial)");
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> asMap(Object row) {
        return (java.util.Map<String, Object>) row;
    }

    @Test
    void triggering_a_running_job_with_wait_exits_5_skipped() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("slow.yaml", TestJobs.SLOW).start();
            assertThat(Cli.run("trigger", "slow", "--jmx", jmx).exitCode()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    t.count("select count(*) from job_run where job_id = 'slow' and status = 'running'") == 1);
            Cli second = Cli.run("trigger", "slow", "--wait", "--jmx", jmx);
            assertThat(second.exitCode()).isEqualTo(CaravanCommand.EXIT_SKIPPED);
            assertThat(second.out()).contains("skipped in ", "(previous run still in progress)");
        }
    }

    @Test
    void an_unknown_job_exits_non_zero_and_lists_the_known_jobs() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).route("slow.yaml", TestJobs.SLOW).start();
            for (String command : new String[] {"trigger", "cancel", "pause", "resume", "history"}) {
                Cli cli = Cli.run(command, "quik", "--jmx", jmx);
                assertThat(cli.exitCode()).as(command).isEqualTo(CaravanCommand.EXIT_USAGE);
                assertThat(cli.err()).as(command).isEqualToIgnoringNewLines("Unknown job 'quik'. Known jobs: quick, slow.");
            }
        }
    }

    @Test
    void an_unreachable_daemon_exits_4_and_says_the_address_and_what_to_do() {
        int port = TestDaemon.freePort();
        for (String[] args : new String[][] {{"jobs"}, {"trigger", "x"}, {"cancel", "x"}, {"pause", "x"}, {"resume", "x"}, {"history", "x"}, {"results", "x"}, {"dead-letters", "x"}}) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--jmx", "127.0.0.1:" + port)).toArray(String[]::new);
            Cli cli = Cli.run(full);
            assertThat(cli.exitCode()).as(args[0]).isEqualTo(CaravanCommand.EXIT_UNREACHABLE);
            assertThat(cli.err()).as(args[0]).isEqualToIgnoringNewLines("Cannot reach the daemon at 127.0.0.1:" + port
                    + " (connection refused). Is 'caravan run' running, and is caravan.jmx.port " + port + "?"
                    + " Start it with 'caravan run', or point --jmx at its HOST:PORT.");
        }
    }

    @Test
    void a_missing_job_argument_is_a_usage_error() {
        Cli cli = Cli.run("trigger");
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
        assertThat(cli.err()).contains("Missing required parameter: 'JOB'", "Usage: caravan trigger");
    }

    @Test
    void a_bad_jmx_address_is_a_usage_error() {
        Cli cli = Cli.run("jobs", "--jmx", "localhost:notaport");
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
        assertThat(cli.err()).contains("--jmx localhost:notaport: write HOST:PORT, e.g. 127.0.0.1:9010");
    }
}
