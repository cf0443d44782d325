package caravan.runs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Every log line of a run, on whatever thread, carries the job and run ids. */
class RunLoggingIT {

    @TempDir
    Path home;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    }

    @Test
    void log_lines_in_parallel_branches_carry_job_and_run_ids() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
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
            List<ILoggingEvent> items = appender.list.stream().filter(e -> e.getLoggerName().equals("job.logging")).toList();
            assertThat(items).hasSize(8);
            assertThat(items).allSatisfy(e -> {
                assertThat(e.getMDCPropertyMap()).containsEntry("caravan.job", "logging-job").containsEntry("caravan.run", runId);
            });
            assertThat(items.stream().map(ILoggingEvent::getThreadName).distinct().count())
                    .as("the items ran on more than one thread").isGreaterThan(1);
        }
    }
}
