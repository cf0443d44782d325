package caravan.runs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.store.DeadLetterStore;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every log line of a run, on whatever thread, carries the job and run ids. */
class RunLoggingIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void log_lines_in_parallel_branches_carry_job_and_run_ids() throws Exception {
        try (LogCapture log = LogCapture.of("job.logging"); TestDaemon t = new TestDaemon(home)) {
            t.route("logging.yaml", """
                    - route:
                        id: logging-job
                        from:
                          uri: quartz:test/logging
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: "a,b,c,d,e,f,g,h"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - log:
                                      message: "item ${body}"
                                      logName: job.logging
                    """).start();
            String runId = t.daemon().jobs().trigger("logging-job");
            t.awaitRun(runId, Duration.ofSeconds(10));
            List<ILoggingEvent> items = log.events();
            assertThat(items).hasSize(8);
            assertThat(items).allSatisfy(e -> {
                assertThat(e.getMDCPropertyMap()).containsEntry("caravan.job", "logging-job").containsEntry("caravan.run", runId);
            });
            assertThat(items.stream().map(ILoggingEvent::getThreadName).distinct().count())
                    .as("the items ran on more than one thread").isGreaterThan(1);
        }
    }

    @Test
    void a_dead_letter_line_carries_job_and_run_ids_though_a_reply_thread_writes_it() throws Exception {
        server.on("/items/*", (n, ex) -> ex.getRequestURI().getPath().endsWith("/2") ? Answer.status(404) : Answer.json("{}"));
        try (LogCapture log = LogCapture.of(DeadLetterStore.class); TestDaemon t = new TestDaemon(home)) {
            t.route("items.yaml", """
                    - route:
                        id: items-job
                        from:
                          uri: quartz:test/items
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: "1,2,3"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - toD: "{{test.base-url}}/items/${body}"
                                  - to: caravan:store
                    """).property("test.base-url", server.baseUrl()).start();
            Map<String, Object> run = t.runToEnd("items-job", Duration.ofSeconds(20));
            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN).singleElement().satisfies(e -> {
                assertThat(e.getFormattedMessage()).contains("dead-lettered after 1 attempt(s) (HTTP 404)");
                assertThat(e.getMDCPropertyMap()).containsEntry("caravan.job", "items-job")
                        .containsEntry("caravan.run", (String) run.get("run_id"));
            });
        }
    }
}
