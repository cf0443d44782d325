package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.jmx.Json;
import caravan.resilience.JobRuns;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan results} and {@code caravan dead-letters}: what a run stored and gave up on, with the daemon running. */
class InspectCliIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void results_and_dead_letters_of_the_newest_run_or_a_given_one_are_read_from_the_running_daemon() throws Exception {
        String longPayload = "{\"title\":\"" + "x".repeat(200) + "\"}";
        server.on("/item/1", (n, ex) -> Answer.json("{\"n\":1}"))
                .on("/item/2", (n, ex) -> Answer.json(longPayload))
                .on("/item/3", (n, ex) -> Answer.status(404));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("job.yaml", JobRuns.fanOutJob("job", 3, null)).route("quick.yaml", TestJobs.QUICK)
                    .property("test.base-url", server.baseUrl()).start();

            assertThat(Cli.run("results", "job", "--jmx", jmx).out()).isEqualToIgnoringNewLines("Job job has not run yet.");

            Cli trigger = Cli.run("trigger", "job", "--wait", "--jmx", jmx);
            assertThat(trigger.exitCode()).as(trigger.err()).isEqualTo(CaravanCommand.EXIT_PARTIAL);
            String runId = trigger.out().lines().findFirst().orElseThrow();

            Cli results = Cli.run("results", "job", "--jmx", jmx);
            assertThat(results.exitCode()).as(results.err()).isZero();
            assertThat(results.out()).startsWith("Run " + runId + " (manual, partial, started ")
                    .contains("3 items, 1 dead-lettered; 2 result(s) shown, newest first", "ITEM", "PAYLOAD",
                            "item:1", "{\"n\":1}", "item:2")
                    .doesNotContain("item:3", longPayload); // a long payload is cut in the table
            Cli json = Cli.run("results", "job", "--json", "--limit", "5", "--jmx", jmx);
            List<Map<String, Object>> rows = Json.readRows(json.out());
            assertThat(rows).extracting(r -> r.get("payload")).containsExactlyInAnyOrder("{\"n\":1}", longPayload);

            Cli dead = Cli.run("dead-letters", "job", "--jmx", jmx);
            assertThat(dead.exitCode()).as(dead.err()).isZero();
            assertThat(dead.out()).contains("1 dead-lettered (1 permanent); 1 dead letter(s) shown")
                    .containsPattern("item:3 +\\S+ +1 +404 +permanent ");
            assertThat(Cli.run("dead-letters", "job", "--kind", "permanent", "--jmx", jmx).out()).contains("item:3");
            Cli transientOnly = Cli.run("dead-letters", "job", "--kind", "transient", "--jmx", jmx);
            assertThat(transientOnly.out()).contains("0 dead letter(s) shown", "None of kind transient").doesNotContain("item:3");
            Cli badKind = Cli.run("dead-letters", "job", "--kind", "flaky", "--jmx", jmx);
            assertThat(badKind.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
            assertThat(badKind.err()).contains("'flaky' is not a kind of dead letter: use one of transient, permanent,"
                    + " refused, cut_off, not_retried");

            // a later run without failures: its dead letters are none, and the command names the run that has some
            server.on("/item/3", (n, ex) -> Answer.json("{\"n\":3}"));
            String second = Cli.run("trigger", "job", "--wait", "--jmx", jmx).out().lines().findFirst().orElseThrow();
            assertThat(Cli.run("dead-letters", "job", "--jmx", jmx).out()).contains("Run " + second, "0 dead letter(s) shown",
                    "The newest run with dead letters: " + runId + " (caravan dead-letters job --run " + runId + ")");
            assertThat(Cli.run("dead-letters", "job", "--run", runId, "--jmx", jmx).out()).contains("item:3");
            assertThat(Cli.run("results", "job", "--jmx", jmx).out()).contains("Run " + second, "item:3");

            Cli wrongRun = Cli.run("results", "quick", "--run", runId, "--jmx", jmx);
            assertThat(wrongRun.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
            assertThat(wrongRun.err()).contains("Job quick has no run " + runId + ": see its runs with 'caravan history quick'");
            Cli unknown = Cli.run("dead-letters", "jb", "--jmx", jmx);
            assertThat(unknown.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
            assertThat(unknown.err()).contains("Unknown job 'jb'. Known jobs: job, quick.");
            assertThat(Cli.run("results", "job", "--limit", "0", "--jmx", jmx).exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
        }
    }

    @Test
    void latest_shows_each_items_newest_result_whichever_run_stored_it_a_page_at_a_time() throws Exception {
        java.util.Map<String, String> content = new java.util.concurrent.ConcurrentHashMap<>(
                Map.of("1", "{\"v\":\"one\"}", "2", "{\"v\":\"two\"}", "3", "{\"v\":\"three\"}"));
        server.on("/item/*", (n, ex) -> Answer.json(content.get(ex.getRequestURI().getPath().substring("/item/".length()))));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("job.yaml", JobRuns.fanOutJob("job", 3, null)).property("test.base-url", server.baseUrl()).start();

            assertThat(Cli.run("latest", "job", "--jmx", jmx).out()).contains("0 item(s) stored", "Nothing stored yet.");
            String first = (String) t.runToEnd("job").get("run_id");
            content.put("2", "{\"v\":\"TWO\"}");
            String second = (String) t.runToEnd("job").get("run_id");
            assertThat(t.count("select count(*) from result where run_id = ?", second)).as("only the change is stored").isEqualTo(1);

            Cli page = Cli.run("latest", "job", "--limit", "2", "--jmx", jmx);
            assertThat(page.exitCode()).as(page.err()).isZero();
            assertThat(page.out()).contains("Job job: 3 item(s) stored; 2 shown by item key", "More: caravan latest job --after 'item:2'")
                    .containsPattern("item:1 +\\S+ +" + first + " +11 +\\{\"v\":\"one\"\\}")
                    .containsPattern("item:2 +\\S+ +" + second + " +11 +\\{\"v\":\"TWO\"\\}")
                    .doesNotContain("item:3");
            assertThat(Json.readRows(Cli.run("latest", "job", "--after", "item:2", "--json", "--jmx", jmx).out()))
                    .singleElement().satisfies(r -> assertThat(r).containsEntry("item_key", "item:3")
                            .containsEntry("payload", "{\"v\":\"three\"}").containsEntry("run_id", first));
            assertThat(Cli.run("latest", "job", "--after", "item:3", "--jmx", jmx).out()).contains("No more items.");
            assertThat(Cli.run("latest", "nope", "--jmx", jmx).exitCode()).isEqualTo(2);
        }
    }
}
