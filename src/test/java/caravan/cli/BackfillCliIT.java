package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan backfill} against a running daemon over JMX. */
class BackfillCliIT {

    private static final String HOURLY = """
            - route:
                id: hourly
                from:
                  uri: quartz:test/hourly
                  parameters:
                    cron: "0 0 * * * ?"
                    trigger.timeZone: UTC
                  steps:
                    - setBody:
                        simple: "data for ${header.CaravanFireTime}"
                    - setHeader:
                        name: CaravanItemKey
                        simple: "slot-${header.CaravanFireTime}"
                    - to: caravan:store
            """;

    @TempDir
    Path home;

    @Test
    void a_backfill_of_five_fire_times_makes_five_backfill_runs() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("hourly.yaml", HOURLY).start();
            Cli cli = Cli.run("backfill", "hourly", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T04:00:00Z",
                    "--jmx", jmx);
            assertThat(cli.exitCode()).as(cli.err()).isZero();
            assertThat(cli.out()).contains("2026-01-01T00:00:00Z", "2026-01-01T04:00:00Z");
            await().atMost(Duration.ofSeconds(20)).until(() -> t.count(
                    "select count(*) from job_run where trigger_type = 'backfill' and status = 'succeeded'") == 5);
            assertThat(t.query("select payload from result order by id")).extracting(r -> r.get("payload"))
                    .containsExactly("data for 2026-01-01T00:00:00Z", "data for 2026-01-01T01:00:00Z",
                            "data for 2026-01-01T02:00:00Z", "data for 2026-01-01T03:00:00Z", "data for 2026-01-01T04:00:00Z");
        }
    }

    @Test
    void a_range_with_too_many_fires_is_refused_with_the_count() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.property("caravan.backfill.max-runs", "24").route("hourly.yaml", HOURLY).start();
            Cli cli = Cli.run("backfill", "hourly", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-03T00:00:00Z",
                    "--jmx", jmx);
            assertThat(cli.exitCode()).isNotZero();
            assertThat(cli.err()).contains("would make 49 runs");
            assertThat(t.count("select count(*) from job_run")).isZero();
        }
    }

    @Test
    void an_unreachable_daemon_exits_4() {
        Cli cli = Cli.run("backfill", "hourly", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T04:00:00Z",
                "--jmx", "127.0.0.1:" + TestDaemon.freePort());
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_UNREACHABLE);
        assertThat(cli.err()).contains("Cannot reach the daemon at 127.0.0.1:");
    }
}
