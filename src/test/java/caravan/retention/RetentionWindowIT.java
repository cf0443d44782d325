package caravan.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon purges on its own schedule: repeated runs do not grow the database beyond the retention window. */
class RetentionWindowIT {

    @TempDir
    Path home;

    @Test
    void the_database_does_not_grow_across_repeated_runs_beyond_the_retention_window() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("page.yaml", """
                    - route:
                        id: page
                        from:
                          uri: quartz:tests/page
                          parameters:
                            cron: "0/1 * * * * ?"
                          steps:
                            - setHeader:
                                name: CaravanItemKey
                                constant: the-page
                            - setBody:
                                simple: "content for ${header.CaravanFireTime}"
                            - to: caravan:store
                    """)
                    .property("caravan.retention.max-runs", "3")
                    .property("caravan.retention.interval", "300ms")
                    .start();
            List<long[]> samples = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                samples.add(new long[] {t.count("select count(*) from job_run"), t.count("select count(*) from result")});
                return t.count("select coalesce(max(id), 0) from result") >= 10;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> t.count("select count(*) from job_run") <= 4);
            t.stop();

            assertThat(samples).as("runs and results sampled while the job ran ten times")
                    .allSatisfy(s -> {
                        assertThat(s[0]).isLessThanOrEqualTo(3 + 3);
                        assertThat(s[1]).isLessThanOrEqualTo(3 + 3);
                    });
            assertThat(t.count("select count(*) from result where item_key = 'the-page'")).isBetween(1L, 4L);
            assertThat(t.count("select count(*) from result r where r.id = (select max(id) from result)")).isEqualTo(1);
        }
    }
}
