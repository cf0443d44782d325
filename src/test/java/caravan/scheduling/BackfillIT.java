package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backfill: one run per fire time of the job's cron in a range, one at a time, recorded with those fire times. */
class BackfillIT {

    @TempDir
    Path home;

    private static final String HOURLY = """
            - route:
                id: hourly
                from:
                  uri: quartz:tests/hourly
                  parameters:
                    cron: "0 0 * * * ?"
                    trigger.timeZone: Europe/Berlin
                  steps:
                    - setHeader:
                        name: CaravanItemKey
                        simple: "slot-${header.CaravanFireTime}"
                    - setBody:
                        simple: "data for ${header.CaravanFireTime}"
                    - to: caravan:store
            """;

    @Test
    void a_backfill_over_a_range_with_five_fire_times_makes_five_runs_with_those_fire_times() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            var daemon = t.route("hourly.yaml", HOURLY).start();

            Backfill.Plan plan = daemon.backfill().run("hourly", "2026-01-01T00:00:00", "2026-01-01T04:00:00");

            assertThat(plan.runs()).extracting(r -> r.fireTime().toString()).containsExactly("2025-12-31T23:00:00Z",
                    "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z");
            await().atMost(Duration.ofSeconds(15)).until(() -> t.count(
                    "select count(*) from job_run where trigger_type = 'backfill' and status = 'succeeded'") == 5);
            assertThat(t.query("select run_id, scheduled_at from job_run where trigger_type = 'backfill' order by started_at"))
                    .extracting(r -> r.get("run_id") + "@" + ((OffsetDateTime) r.get("scheduled_at")).toInstant())
                    .containsExactlyElementsOf(plan.runs().stream().map(r -> r.runId() + "@" + r.fireTime()).toList());
            assertThat(t.query("select payload from result order by id")).extracting(r -> r.get("payload"))
                    .first().isEqualTo("data for 2025-12-31T23:00:00Z");
            assertThat(t.count("select count(*) from job_run where status = 'skipped'")).isZero();
        }
    }

    @Test
    void a_backfill_with_more_fires_than_the_maximum_is_refused_saying_how_many_it_would_have_been() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            var daemon = t.route("hourly.yaml", HOURLY).property("caravan.backfill.max-runs", "24").start();

            assertThatThrownBy(() -> daemon.backfill().run("hourly", Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-01-03T00:00:00Z")))
                    .hasMessage("Backfill of job 'hourly' from 2026-01-01T00:00:00Z to 2026-01-03T00:00:00Z would make 49 runs,"
                            + " more than caravan.backfill.max-runs=24: narrow the range or raise caravan.backfill.max-runs");
            assertThatThrownBy(() -> daemon.backfill().run("hourl", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"))
                    .hasMessage("Unknown job 'hourl'. Known jobs: hourly.");
            assertThat(t.count("select count(*) from job_run")).isZero();
        }
    }
}
