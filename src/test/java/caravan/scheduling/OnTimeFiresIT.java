package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fires recorded ahead of their time (caravan.scheduler.fire-ahead) still start at their time: never before the
 * scheduled instant, once per slot, for many jobs due in the same second.
 */
class OnTimeFiresIT {

    @TempDir
    Path home;

    private static String tick(int i) {
        return """
                - route:
                    id: tick-%d
                    from:
                      uri: quartz:ticks/tick-%d
                      parameters:
                        cron: "0/1 * * * * ?"
                      steps:
                        - setBody:
                            constant: "tick"
                """.formatted(i, i);
    }

    @Test
    void twenty_jobs_due_every_second_start_at_their_slot_never_before_it_and_once_each() throws Exception {
        // camel-quartz's job logs (and drops) a fire that comes before its trigger's start time
        try (LogCapture quartzJob = LogCapture.of("org.apache.camel.component.quartz"); TestDaemon t = new TestDaemon(home)) {
            for (int i = 0; i < 20; i++) {
                t.route("tick-" + i + ".yaml", tick(i));
            }
            t.property("caravan.scheduler.fire-ahead", "800ms").start();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    t.count("select count(*) from job_run where trigger_type = 'schedule' and status = 'succeeded'") >= 60);

            List<Map<String, Object>> runs = t.query(
                    "select job_id, scheduled_at, started_at from job_run where trigger_type = 'schedule'");
            for (Map<String, Object> run : runs) {
                Instant scheduled = ((OffsetDateTime) run.get("scheduled_at")).toInstant();
                Instant started = ((OffsetDateTime) run.get("started_at")).toInstant();
                assertThat(scheduled.getNano()).as("a cron slot is a whole second").isZero();
                assertThat(started).as("run of %s for %s", run.get("job_id"), scheduled).isAfterOrEqualTo(scheduled);
            }
            assertThat(t.count("select count(*) from (select job_id, scheduled_at from job_run"
                    + " group by job_id, scheduled_at having count(*) > 1)")).as("one run per job and slot").isZero();
            assertThat(t.count("select count(*) from job_run where status <> 'succeeded'")).isZero();
            // A new trigger starts ~0.5 s after its route: a first fire recorded ahead must not come before that
            // start, or camel-quartz drops it (its slot already claimed, so nothing would ever run it).
            assertThat(quartzJob.messages()).noneMatch(m -> m.contains("Skipping CamelJob"));
        }
    }
}
