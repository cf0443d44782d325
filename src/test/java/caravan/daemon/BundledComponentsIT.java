package caravan.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The components a job author relies on without touching the build: each one used by a real job. */
class BundledComponentsIT {

    @TempDir
    Path home;

    @Test
    void direct_seda_log_timer_bean_jsonpath_jackson_and_sql_work_in_jobs() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("components.yaml", """
                    - route:
                        id: components-job
                        from:
                          uri: quartz:test/components
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: '{"items": [{"n": 1}, {"n": 2}]}'
                            - setBody:
                                jsonpath: "$.items[*].n"
                            - marshal:
                                json:
                                  library: Jackson
                            - to: direct:helper
                            - setHeader:
                                name: CaravanItemKey
                                constant: components
                            - to: caravan:store
                    - route:
                        id: helper
                        from:
                          uri: direct:helper
                          steps:
                            - to: "sql:select count(*) as runs from job_run?dataSource=#caravanDataSource&outputType=SelectOne"
                            - setBody:
                                simple: "runs=${body} size=${bean:java.lang.String?method=valueOf(42)}"
                            - to: "seda:audit"
                    - route:
                        id: audit
                        from:
                          uri: seda:audit
                          steps:
                            - to: "log:audit"
                    - route:
                        id: heartbeat
                        from:
                          uri: "timer:heartbeat?repeatCount=1"
                          steps:
                            - log: "heartbeat"
                    """).start();
            assertThat(t.daemon().routeFiles().problems()).isEmpty();
            String runId = t.daemon().jobs().trigger("components-job");
            t.awaitRun(runId, Duration.ofSeconds(10));
            assertThat(t.query("select status from job_run where run_id = ?", runId).get(0).get("status")).isEqualTo("succeeded");
            assertThat(t.query("select payload from result where run_id = ?", runId).get(0).get("payload"))
                    .isEqualTo("runs=1 size=42");
        }
    }
}
