package caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.daemon.Daemon;
import caravan.scheduling.JobSchedule;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live reload of route files in a running daemon: per file, within 3 seconds, never cutting a run. */
class RouteReloadIT {

    static final Duration WITHIN = Duration.ofSeconds(3);

    static final String TICKING = """
            - route:
                id: ticking
                from:
                  uri: quartz:test/ticking
                  parameters:
                    cron: "0/1 * * * * ?"
                  steps:
                    - setBody:
                        simple: "${date:now}"
                    - setHeader:
                        name: CaravanItemKey
                        constant: "tick"
                    - to: caravan:store
            """;

    @TempDir
    Path home;

    @Test
    void a_new_file_is_picked_up_a_changed_cron_applied_and_a_deleted_file_removed() throws Exception {
        try (LogCapture daemonLog = LogCapture.of(Daemon.class); TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.route("quick.yaml", TestJobs.QUICK).start();

            t.route("slow.yaml", TestJobs.SLOW);
            await().atMost(WITHIN).until(() -> job(d, "slow").isPresent());
            // the operator sees a loaded job's schedule, as at a start
            await().atMost(WITHIN).until(() -> logged(daemonLog, "Job slow: cron '0 0 0 1 1 ? 2099' (Etc/UTC), next fire 2099-01-01T00:00:00Z"));

            t.route("slow.yaml", TestJobs.SLOW.replace("0 0 0 1 1 ? 2099", "0 30 12 * * ?"));
            await().atMost(WITHIN).until(() -> "0 30 12 * * ?".equals(job(d, "slow").map(JobSchedule::cron).orElse("")));
            await().atMost(WITHIN).until(() -> logged(daemonLog, "Job slow: cron '0 30 12 * * ?' (Etc/UTC), next fire "));
            // only the jobs of the file loaded: quick's line is the start's alone
            assertThat(daemonLog.messages()).filteredOn(m -> m.startsWith("Job quick: cron")).hasSize(1);

            Files.delete(t.routes().resolve("slow.yaml"));
            await().atMost(WITHIN).until(() -> job(d, "slow").isEmpty());
            assertThat(job(d, "quick")).isPresent();
            assertThat(d.routeFiles().problems()).isEmpty();
        }
    }

    private static boolean logged(LogCapture log, String start) {
        return log.messages().stream().anyMatch(m -> m.startsWith(start));
    }

    @Test
    void a_broken_file_is_reported_with_file_and_line_and_its_previous_version_and_the_other_jobs_keep_running()
            throws Exception {
        try (LogCapture routesLog = LogCapture.of("caravan.routes"); TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.route("ticking.yaml", TICKING).route("quick.yaml", TestJobs.QUICK).start();
            Path quick = t.routes().resolve("quick.yaml").toAbsolutePath().normalize();
            List<String[]> breakages = List.of(
                    new String[] {TestJobs.QUICK.replace("    id: quick", "    id: [quick"), "quick.yaml:2"},
                    new String[] {TestJobs.QUICK.replace("to: caravan:store", "to: nosuch:store"),
                        "quick.yaml:13: unknown component 'nosuch' in 'nosuch:store'"},
                    new String[] {TestJobs.QUICK.replace("- setBody:", "- setBodi:"), "quick.yaml:8"},
                    new String[] {TestJobs.QUICK.replace("0 0 0 1 1 ? 2099", "0 0 25 * * ?"),
                        "quick.yaml:6: cron '0 0 25 * * ?' is invalid"},
                    new String[] {TestJobs.QUICK.replace("    id: quick\n", ""), "has no id: add 'id: my-job'"},
                    new String[] {TestJobs.QUICK.replace("id: quick", "id: ticking"), "route id 'ticking' is already used by another route file"});
            for (String[] broken : breakages) {
                long before = routesLog.messages().stream().filter(m -> m.contains(broken[1])).count();
                t.route("quick.yaml", broken[0]);
                await().atMost(WITHIN).untilAsserted(() -> assertThat(d.routeFiles().problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.file()).isEqualTo(quick);
                            assertThat(p.toString()).contains(broken[1]);
                            assertThat(p.line()).isPositive();
                        }));
                assertThat(job(d, "quick")).as("the previous version of quick.yaml still runs").isPresent();
                // logged once, with the file's path and line and what happens to the file's jobs
                await().atMost(WITHIN).until(() -> routesLog.messages().stream().filter(m -> m.contains(broken[1])).count() > before);
                assertThat(routesLog.messages()).filteredOn(m -> m.contains(broken[1])).hasSize((int) before + 1)
                        .last().asString().contains(quick.toString()).endsWith("; not loaded, its previous version keeps running");
                String runId = d.jobs().trigger("quick");
                await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(status(t, runId)));
            }
            long ticks = t.count("select count(*) from job_run where job_id = 'ticking' and status = 'succeeded'");
            await().atMost(WITHIN).until(() ->
                    t.count("select count(*) from job_run where job_id = 'ticking' and status = 'succeeded'") > ticks);

            t.route("quick.yaml", TestJobs.QUICK);
            await().atMost(WITHIN).until(() -> d.routeFiles().problems().isEmpty());
        }
    }

    @Test
    void a_job_whose_steps_change_and_schedule_does_not_keeps_firing_on_its_schedule() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.route("ticking.yaml", TICKING).start();
            await().atMost(WITHIN).until(() -> scheduledTicks(t) > 0);

            t.route("ticking.yaml", TICKING.replace("constant: \"tick\"", "constant: \"tock\""));
            // a reload that lands in a fire's last half second costs that fire (README, scheduling gotchas): the
            // changed steps may first run a second later
            await().atMost(WITHIN.plusSeconds(2)).until(() -> t.count("select count(*) from result where item_key = 'tock'") > 0);
            long ticks = scheduledTicks(t);

            await().atMost(WITHIN).until(() -> scheduledTicks(t) > ticks);
            assertThat(job(d, "ticking").orElseThrow().paused()).isFalse();
        }
    }

    private static long scheduledTicks(TestDaemon t) {
        return t.count("select count(*) from job_run where job_id = 'ticking' and trigger_type = 'schedule' and status = 'succeeded'");
    }

    @Test
    void a_running_run_finishes_when_its_own_file_changes_and_the_job_keeps_its_pause() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            Daemon d = t.route("slow.yaml", TestJobs.SLOW).start();
            d.jobs().pause("slow");
            String runId = d.jobs().trigger("slow");
            await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(status(t, runId)));

            t.route("slow.yaml", TestJobs.SLOW.replace("0 0 0 1 1 ? 2099", "0 30 12 * * ?"));
            await().atMost(Duration.ofSeconds(6)).until(() -> "0 30 12 * * ?".equals(job(d, "slow").map(JobSchedule::cron).orElse("")));

            assertThat(status(t, runId)).isEqualTo("succeeded");
            assertThat(t.query("select items_total from job_run where run_id = ?", runId).get(0)).containsEntry("items_total", 1);
            assertThat(job(d, "slow").orElseThrow().paused()).isTrue();
            assertThat(job(d, "slow").orElseThrow().nextFire()).isNull();
        }
    }

    private static Optional<JobSchedule> job(Daemon d, String id) {
        return d.jobs().schedules().stream().filter(j -> j.jobId().equals(id)).findFirst();
    }

    private static String status(TestDaemon t, String runId) {
        var rows = t.query("select status from job_run where run_id = ?", runId);
        return rows.isEmpty() ? "" : (String) rows.get(0).get("status");
    }
}
