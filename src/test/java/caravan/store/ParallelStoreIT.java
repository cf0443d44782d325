package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** caravan:store is safe from parallel split branches: every item is exactly one row. */
class ParallelStoreIT {

    @TempDir
    Path home;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void two_hundred_parallel_branches_store_exactly_two_hundred_rows(String database) throws Exception {
        try (TestDaemon t = new TestDaemon(home).onDatabase(database)) {
            t.property("caravan.fanout.concurrency", "32").route("fanout.yaml", """
                    - route:
                        id: fanout
                        from:
                          uri: quartz:test/fanout
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: "%s"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - setHeader:
                                      name: CaravanItemKey
                                      simple: "item-${body}"
                                  - setBody:
                                      simple: '{"n": ${body}}'
                                  - to: caravan:store
                    """.formatted(java.util.stream.IntStream.range(0, 200).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(",")))).start();
            String runId = t.daemon().jobs().trigger("fanout");
            t.awaitRun(runId, Duration.ofSeconds(20));
            Map<String, Object> run = t.query("select * from job_run where run_id = ?", runId).get(0);
            assertThat(run.get("status")).isEqualTo("succeeded");
            assertThat(run.get("trigger_type")).isEqualTo("manual");
            assertThat(run.get("items_total")).isEqualTo(200);
            assertThat(run.get("items_changed")).isEqualTo(200);
            assertThat(t.count("select count(*) from result where run_id = ?", runId)).isEqualTo(200);
            assertThat(t.count("select count(distinct item_key) from result where run_id = ?", runId)).isEqualTo(200);
        }
    }
}
