package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.Postgres;
import caravan.support.TestDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules on the persistent job store across restarts: pauses, catch-up policies, schedule changes, removed files.
 * The same tests run on H2, on PostgreSQL, and on PostgreSQL in cluster mode (one node).
 */
class SchedulingRestartIT {

    @TempDir
    Path home;

    private Postgres postgres;

    /** A daemon on {@code h2}, {@code postgresql} or {@code cluster} (PostgreSQL, clustered job store). */
    private TestDaemon daemon(String mode) {
        TestDaemon t = new TestDaemon(home);
        if (!mode.equals("h2")) {
            postgres = Postgres.create();
            t.postgres(postgres);
        }
        if (mode.equals("cluster")) {
            t.property("caravan.cluster.enabled", "true").property("caravan.cluster.node-id", "restart-node");
        }
        return t;
    }

    /** H2 gives timestamps with time zone as OffsetDateTime, PostgreSQL as Timestamp. */
    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }

    @AfterEach
    void dropDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A job that fires at second 0 of each minute; the test moves its watermark back to make it miss fires. */
    private static String job(String id, String cron, String extra) {
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:tests/%s
                      parameters:
                        cron: "%s"
                %s      steps:
                        - setBody:
                            simple: "fire ${header.CaravanFireTime}"
                        - log: "${body}"
                """.formatted(id, id, cron, extra);
    }

    private static String catchUp(String policy, int max) {
        return "        catchup: " + policy + "\n        catchupMax: " + max + "\n";
    }

    private void missTenMinutes(TestDaemon t, String jobId) {
        t.execute("update job_fire_watermark set last_fire_at = last_fire_at - interval '10' minute where job_id = '" + jobId + "'");
    }

    private List<Instant> catchUpFireTimes(TestDaemon t, String jobId) {
        return t.query("select scheduled_at from job_run where job_id = ? and trigger_type = 'catchup' order by scheduled_at", jobId)
                .stream().map(r -> instant(r.get("scheduled_at"))).toList();
    }

    /** The newest missed minute: the start's minute, or the next one when the start crossed a minute boundary. */
    private static List<Instant> newestMissedAround(Instant start) {
        Instant minute = start.truncatedTo(ChronoUnit.MINUTES);
        return List.of(minute, minute.plusSeconds(60));
    }

    private void startAndStopOnce(TestDaemon t) throws Exception {
        t.start();
        t.stop();
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "cluster"})
    void a_job_that_was_not_paused_fires_on_its_schedule_after_a_restart(String mode) throws Exception {
        try (TestDaemon t = daemon(mode)) {
            t.route("tick.yaml", job("tick", "0/1 * * * * ?", ""));
            t.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduledRuns(t, "tick") > 0);
            t.stop();
            long runsBefore = scheduledRuns(t, "tick");

            var daemon = t.start();

            await().atMost(Duration.ofSeconds(5)).until(() -> scheduledRuns(t, "tick") > runsBefore);
            assertThat(daemon.jobs().schedules()).singleElement().satisfies(s -> assertThat(s.paused()).isFalse());
        }
    }

    private static long scheduledRuns(TestDaemon t, String jobId) {
        return t.count("select count(*) from job_run where job_id = '" + jobId + "' and trigger_type = 'schedule'"
                + " and status = 'succeeded'");
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "cluster"})
    void a_paused_job_stays_paused_after_a_restart(String mode) throws Exception {
        try (TestDaemon t = daemon(mode)) {
            t.route("tick.yaml", job("tick", "0/1 * * * * ?", ""));
            t.start().jobs().pause("tick");
            t.stop();
            long runsBefore = t.count("select count(*) from job_run where job_id = 'tick'");
            var daemon = t.start();
            assertThat(daemon.jobs().schedules()).singleElement().satisfies(s -> assertThat(s.paused()).isTrue());
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> true);
            assertThat(t.count("select count(*) from job_run where job_id = 'tick'")).isEqualTo(runsBefore);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "cluster"})
    void with_skip_nothing_missed_runs_after_a_restart(String mode) throws Exception {
        try (TestDaemon t = daemon(mode)) {
            t.route("minutely.yaml", job("minutely", "0 * * * * ?", catchUp("skip", 5)));
            startAndStopOnce(t);
            missTenMinutes(t, "minutely");
            Instant start = Instant.now();
            t.start();
            assertThat(catchUpFireTimes(t, "minutely")).isEmpty();
            Instant watermark = instant(t.query("select last_fire_at from job_fire_watermark where job_id = 'minutely'")
                    .get(0).get("last_fire_at"));
            assertThat(watermark).isAfter(start.minus(Duration.ofSeconds(61)));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "cluster"})
    void with_last_exactly_one_catch_up_run_stands_for_the_newest_missed_fire(String mode) throws Exception {
        try (TestDaemon t = daemon(mode)) {
            t.route("minutely.yaml", job("minutely", "0 * * * * ?", catchUp("last", 5)));
            startAndStopOnce(t);
            missTenMinutes(t, "minutely");
            Instant start = Instant.now();
            t.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> t.count(
                    "select count(*) from job_run where job_id = 'minutely' and trigger_type = 'catchup' and status = 'succeeded'") == 1);
            List<Instant> fires = catchUpFireTimes(t, "minutely");
            assertThat(fires).hasSize(1);
            assertThat(fires.get(0)).isIn(newestMissedAround(start));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "cluster"})
    void with_all_one_run_per_missed_fire_up_to_the_cap_oldest_first_each_with_its_fire_time(String mode) throws Exception {
        try (TestDaemon t = daemon(mode)) {
            t.route("minutely.yaml", job("minutely", "0 * * * * ?", catchUp("all", 4)));
            startAndStopOnce(t);
            missTenMinutes(t, "minutely");
            Instant start = Instant.now();
            t.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> t.count(
                    "select count(*) from job_run where job_id = 'minutely' and trigger_type = 'catchup' and status <> 'running'") == 4);
            List<Instant> fires = catchUpFireTimes(t, "minutely");
            Instant newest = fires.get(fires.size() - 1);
            assertThat(newest).isIn(newestMissedAround(start));
            assertThat(fires).containsExactly(newest.minusSeconds(180), newest.minusSeconds(120),
                    newest.minusSeconds(60), newest);
            assertThat(t.query("select status from job_run where trigger_type = 'catchup' order by started_at"))
                    .extracting(r -> r.get("status")).containsOnly("succeeded");
            List<Map<String, Object>> order = t.query(
                    "select scheduled_at from job_run where trigger_type = 'catchup' order by started_at");
            assertThat(order).extracting(r -> instant(r.get("scheduled_at")))
                    .isSorted();
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql", "cluster"})
    void resuming_a_job_applies_its_catch_up_policy_to_the_fires_missed_while_paused(String mode) throws Exception {
        try (TestDaemon t = daemon(mode)) {
            t.route("minutely.yaml", job("minutely", "0 * * * * ?", catchUp("last", 5)));
            var daemon = t.start();
            daemon.jobs().pause("minutely");
            missTenMinutes(t, "minutely");
            daemon.jobs().resume("minutely");
            await().atMost(Duration.ofSeconds(10)).until(() -> t.count(
                    "select count(*) from job_run where job_id = 'minutely' and trigger_type = 'catchup' and status = 'succeeded'") == 1);
        }
    }

    @Test
    void a_schedule_change_in_the_file_reaches_the_stored_trigger_and_a_removed_file_leaves_the_store() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("daily.yaml", job("daily", "0 30 2 * * ?", ""));
            startAndStopOnce(t);
            assertThat(t.query("select cron_expression, time_zone_id from qrtz_cron_triggers"))
                    .singleElement().satisfies(r -> assertThat(r.get("cron_expression")).isEqualTo("0 30 2 * * ?"));

            t.route("daily.yaml", job("daily", "0 45 3 * * ?", "        trigger.timeZone: Europe/Berlin\n"));
            var daemon = t.start();
            assertThat(daemon.jobs().schedules()).singleElement().satisfies(s -> {
                assertThat(s.timeZone()).isEqualTo("Europe/Berlin");
                assertThat(s.nextFires()).hasSize(3).allSatisfy(f -> assertThat(f.toLocalTime().toString()).isEqualTo("03:45"));
            });
            t.stop();
            assertThat(t.query("select cron_expression, time_zone_id from qrtz_cron_triggers")).singleElement().satisfies(r -> {
                assertThat(r.get("cron_expression")).isEqualTo("0 45 3 * * ?");
                assertThat(r.get("time_zone_id")).isEqualTo("Europe/Berlin");
            });

            Files.delete(t.routes().resolve("daily.yaml"));
            t.route("other.yaml", job("other", "0 0 4 * * ?", ""));
            startAndStopOnce(t);
            assertThat(t.query("select job_name from qrtz_job_details")).extracting(r -> r.get("job_name")).containsExactly("other");
        }
    }
}
