package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** caravan cancel JOB: the run in progress sends no new request, its unsent items are dead-lettered, and it ends. */
class CancelIT {

    /** 20 items, one request at a time, 250 ms each: 5 s if not cancelled. */
    static final int ITEMS = 20;

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void cancel_wait_ends_the_run_in_progress_with_every_item_stored_or_dead_lettered() throws Exception {
        server.on("/slow/*", (n, ex) -> Answer.json("{\"ok\":true}").delayed(250));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("crawl.yaml", """
                    - route:
                        id: crawl
                        from:
                          uri: quartz:test/crawl
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: "%s"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - toD: "{{test.base-url}}/slow/${body}"
                                  - to: caravan:store
                    """.formatted(IntStream.rangeClosed(1, ITEMS).mapToObj(Integer::toString).collect(Collectors.joining(","))))
                    .property("test.base-url", server.baseUrl())
                    .property("caravan.http.max-per-host", "1")
                    .start();

            Cli idle = Cli.run("cancel", "crawl", "--jmx", jmx);
            assertThat(idle.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
            assertThat(idle.err()).isEqualToIgnoringNewLines("Job crawl has no run in progress");

            String runId = t.daemon().jobs().trigger("crawl");
            await().atMost(Duration.ofSeconds(10)).until(() -> t.count("select count(*) from result where run_id = ?", runId) >= 1);
            Cli cancel = Cli.run("cancel", "crawl", "--wait", "--jmx", jmx);

            assertThat(cancel.exitCode()).as(cancel.err()).isEqualTo(CaravanCommand.EXIT_PARTIAL);
            assertThat(cancel.out()).startsWith("Run " + runId + " of job crawl cancelled: it sends no new request")
                    .contains("partial in ", ITEMS + " items, ", "(the run was cancelled: ");
            Map<String, Object> run = t.query("select * from job_run where run_id = ?", runId).get(0);
            assertThat((String) run.get("error")).startsWith("the run was cancelled: ")
                    .endsWith(" later request(s) were not sent, their items dead-lettered");
            long stored = t.count("select count(*) from result where run_id = ?", runId);
            long dead = t.count("select count(*) from dead_letter where run_id = ?", runId);
            assertThat(stored + dead).as("every item stored or dead-lettered").isEqualTo(ITEMS);
            assertThat(dead).as("cancelled long before its 5 s").isGreaterThan(ITEMS / 2);
            assertThat(t.query("select error from dead_letter where run_id = ?", runId)).allSatisfy(r ->
                    assertThat((String) r.get("error")).isEqualTo("PermanentFailure: the run was cancelled: this request was not sent"));
            assertThat(server.requests()).as("no request after the cancel but those already out").hasSizeLessThan(ITEMS / 2);

            assertThat(t.runToEnd("crawl", Duration.ofSeconds(20)).get("status")).as("the next run is not cancelled")
                    .isEqualTo("succeeded");
        }
    }
}
