package caravan.resilience;

import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import java.time.Duration;
import java.util.Map;

/** Triggers a job of a test daemon and waits for its run to end. */
final class JobRuns {

    private JobRuns() {
    }

    /** A run that ends as skipped (the previous run is still being released) is triggered again. */
    static Map<String, Object> runToEnd(TestDaemon t, String jobId, Duration atMost) {
        for (int attempt = 0; ; attempt++) {
            String runId = t.daemon().jobs().trigger(jobId);
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() ->
                    t.count("select count(*) from job_run where run_id = ? and status <> 'running'", runId) == 1);
            Map<String, Object> run = t.query("select * from job_run where run_id = ?", runId).get(0);
            if (!"skipped".equals(run.get("status")) || attempt == 20) {
                return run;
            }
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
    }

    /** A job that fans out over items 1..n, fetching {@code base/item/N} for each and storing it. */
    static String fanOutJob(String jobId, int items, String extraSplitOptions) {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= items; i++) {
            list.append(i == 1 ? "" : ",").append(i);
        }
        return """
                - route:
                    id: %s
                    from:
                      uri: quartz:test/%s
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "%s"
                        - split:
                            tokenize: ","
                            parallelProcessing: true
                %s
                            steps:
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "item:${body}"
                              - setHeader:
                                  name: CamelHttpMethod
                                  constant: GET
                              - toD: "{{test.base-url}}/item/${body}"
                              - to: caravan:store
                """.formatted(jobId, jobId, list, extraSplitOptions == null ? "" : extraSplitOptions.indent(12).stripTrailing());
    }
}
