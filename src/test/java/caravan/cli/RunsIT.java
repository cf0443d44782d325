package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.jmx.Json;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan runs}: the runs of every job, newest first, filtered by status and age. */
class RunsIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    static final String BROKEN_SITE = """
            - route:
                id: broken-site
                from:
                  uri: quartz:test/broken-site
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - to: "{{site}}/down"
                    - to: caravan:store
            """;

    @Test
    void runs_lists_every_jobs_runs_newest_first_and_filters_by_status_and_age() throws Exception {
        server.on("/down", (n, ex) -> Answer.status(500));
        try (TestDaemon t = new TestDaemon(home).property("site", server.baseUrl()).property("caravan.retry.max-attempts", "1")) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).route("broken.yaml", BROKEN_SITE).start();
            String quick = (String) t.runToEnd("quick").get("run_id");
            String broken = (String) t.runToEnd("broken-site").get("run_id");
            t.execute("insert into job_run (run_id, job_id, trigger_type, scheduled_at, node_id, started_at, finished_at,"
                    + " status, items_total, items_failed, items_changed) values ('two-days-ago', 'quick', 'schedule',"
                    + " dateadd('DAY', -2, current_timestamp), 'n', dateadd('DAY', -2, current_timestamp),"
                    + " dateadd('DAY', -2, current_timestamp), 'failed', 1, 1, 0)");

            Cli all = Cli.run("runs", "--jmx", jmx);
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out()).containsPattern("JOB +RUN +TRIGGER +STATUS +STARTED +DURATION +ITEMS +FAILED +ERROR")
                    .containsPattern("broken-site +" + broken + " +manual +failed ")
                    .containsPattern("quick +" + quick + " +manual +succeeded ")
                    .doesNotContain("two-days-ago");
            assertThat(all.out().indexOf(broken)).as("newest first").isLessThan(all.out().indexOf(quick));

            Cli failed = Cli.run("runs", "--status", "failed,partial", "--jmx", jmx);
            assertThat(failed.out()).contains(broken).doesNotContain(quick).doesNotContain("two-days-ago");

            assertThat(Cli.run("runs", "--status", "failed", "--since", "3d", "--jmx", jmx).out())
                    .contains(broken, "two-days-ago").doesNotContain(quick);
            String instant = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
            assertThat(Json.readRows(Cli.run("runs", "--since", instant, "--json", "--jmx", jmx).out()))
                    .extracting(r -> r.get("run_id")).containsExactly(broken, quick, "two-days-ago");
            assertThat(Json.readRows(Cli.run("runs", "--limit", "1", "--json", "--jmx", jmx).out()))
                    .extracting(r -> r.get("run_id")).containsExactly(broken);

            assertThat(Cli.run("runs", "--status", "interrupted", "--jmx", jmx).out()).contains("No interrupted runs in the last 24h.");
        }
    }

    @Test
    void a_status_or_age_that_is_not_one_is_a_usage_error_that_says_what_to_write() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();

            Cli status = Cli.run("runs", "--status", "done", "--jmx", jmx);
            assertThat(status.exitCode()).isEqualTo(2);
            assertThat(status.err()).contains("'done' is not a run status: use any of running, succeeded, partial, failed");
            Cli since = Cli.run("runs", "--since", "yesterday", "--jmx", jmx);
            assertThat(since.exitCode()).isEqualTo(2);
            assertThat(since.err()).contains("--since yesterday is neither an age (24h, 7d, 30m) nor an instant");
        }
    }
}
