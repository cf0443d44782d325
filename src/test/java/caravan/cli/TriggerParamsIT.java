package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.jmx.Json;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** caravan trigger JOB --param NAME=VALUE: the run reads each as an exchange property, and none goes to the site. */
class TriggerParamsIT {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    /** The README's pattern: the sites given with --param, else every site. */
    static final String JOB = """
            - route:
                id: sites
                from:
                  uri: quartz:test/sites
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - setBody:
                        simple: "${exchangeProperty.sites}"
                    - choice:
                        when:
                          - simple: "${body} == null"
                            steps:
                              - setBody:
                                  constant: "a,b,c"
                    - split:
                        tokenize: ","
                        parallelProcessing: true
                        steps:
                          - setHeader:
                              name: CaravanItemKey
                              simple: "${body}"
                          - toD: "{{test.base-url}}/sites/${body}"
                          - to: caravan:store
            """;

    @Test
    void parameters_reach_the_run_as_properties_no_request_carries_them_and_a_run_without_them_takes_the_default() throws Exception {
        server.on("/sites/*", (n, ex) -> Answer.json("{\"ok\":true}"));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("sites.yaml", JOB).property("test.base-url", server.baseUrl()).start();

            Cli trigger = Cli.run("trigger", "sites", "--param", "sites=a,b", "-p", "note=by hand", "--wait", "--jmx", jmx);
            assertThat(trigger.exitCode()).as(trigger.err()).isZero();
            assertThat(trigger.out()).contains("succeeded in ", "2 items, 2 stored");
            assertThat(server.requests()).extracting(FixtureServer.Request::path).containsExactlyInAnyOrder("/sites/a", "/sites/b");
            assertThat(server.requests()).allSatisfy(r -> assertThat(r.headers().keySet())
                    .noneMatch(h -> h.equalsIgnoreCase("sites") || h.equalsIgnoreCase("note")));

            Cli plain = Cli.run("trigger", "sites", "--wait", "--jmx", jmx);
            assertThat(plain.out()).as("without parameters, the route's default").contains("3 items, 3 stored");
        }
    }

    @Test
    void a_malformed_or_reserved_parameter_is_refused_before_anything_runs() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("sites.yaml", JOB).property("test.base-url", server.baseUrl()).start();

            Cli noValue = Cli.run("trigger", "sites", "--param", "site", "--jmx", jmx);
            assertThat(noValue.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
            assertThat(noValue.err()).isEqualToIgnoringNewLines("Parameter 'site' is not NAME=VALUE: write e.g. site=example.org");

            Cli reserved = Cli.run("trigger", "sites", "-p", "CamelHttpUri=http://elsewhere", "--jmx", jmx);
            assertThat(reserved.exitCode()).isEqualTo(CaravanCommand.EXIT_USAGE);
            assertThat(reserved.err()).contains("Parameter name 'CamelHttpUri' is reserved");

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> t.count("select count(*) from job_run") == 0);
        }
    }

    @Test
    void a_runs_parameters_are_recorded_with_it_and_shown_by_history_a_configured_secret_masked() throws Exception {
        server.on("/sites/*", (n, ex) -> Answer.json("{\"ok\":true}"));
        String job = JOB.replaceFirst("( *)- setBody:", "$1- setProperty:\n$1    name: token\n$1    constant: \"{{env:SITE_TOKEN}}\"\n$0");
        assertThat(job).contains("SITE_TOKEN");
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("sites.yaml", job).property("test.base-url", server.baseUrl()).env("SITE_TOKEN", "s3cr3t-t0ken").start();

            String runId = Cli.run("trigger", "sites", "-p", "sites=a,b", "-p", "note=key s3cr3t-t0ken", "--wait", "--jmx", jmx)
                    .out().lines().findFirst().orElseThrow();

            assertThat(t.query("select params from job_run where run_id = ?", runId)).singleElement()
                    .extracting(r -> Json.readRow((String) r.get("params"))).isEqualTo(Map.of("sites", "a,b", "note", "key ***"));
            Cli history = Cli.run("history", "sites", "--jmx", jmx);
            assertThat(history.out()).contains("PARAMS", "sites=a,b", "note=key ***").doesNotContain("s3cr3t");
            assertThat(Json.readRows(Cli.run("history", "sites", "--json", "--jmx", jmx).out()).get(0).get("params"))
                    .isEqualTo(Map.of("sites", "a,b", "note", "key ***"));

            Cli.run("trigger", "sites", "--wait", "--jmx", jmx);
            assertThat(t.query("select params from job_run where run_id <> ?", runId)).singleElement()
                    .extracting(r -> r.get("params")).as("none for a run without parameters").isNull();
        }
    }

    @Test
    void a_retry_of_a_run_with_parameters_runs_with_the_same_ones_and_so_meets_its_items_again() throws Exception {
        Set<String> failing = ConcurrentHashMap.newKeySet();
        failing.add("/sites/e");
        server.on("/sites/*", (n, ex) -> failing.contains(ex.getRequestURI().getPath()) ? Answer.status(503)
                : Answer.json("{\"ok\":true}"));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("sites.yaml", JOB).property("test.base-url", server.baseUrl())
                    .property("caravan.retry.max-attempts", "1").start();
            Cli trigger = Cli.run("trigger", "sites", "-p", "sites=d,e", "--wait", "--jmx", jmx);
            assertThat(trigger.exitCode()).isEqualTo(CaravanCommand.EXIT_PARTIAL);
            String first = trigger.out().lines().findFirst().orElseThrow();

            failing.clear();
            int before = server.requests().size();
            Cli retry = Cli.run("retry", "sites", "--wait", "--jmx", jmx);

            assertThat(retry.exitCode()).as(retry.out() + retry.err()).isZero();
            assertThat(retry.out()).contains("1 items, 1 stored, 0 dead-lettered");
            assertThat(server.requests().subList(before, server.requests().size()))
                    .extracting(FixtureServer.Request::path).as("the run's own item, not the default list's")
                    .containsExactly("/sites/e");
            assertThat(t.query("select params from job_run where retry_of = ?", first)).singleElement()
                    .extracting(r -> r.get("params")).isEqualTo("{\"sites\":\"d,e\"}");
        }
    }

    @Test
    void a_trigger_skipped_because_the_job_is_running_is_recorded_with_its_parameters() throws Exception {
        server.on("/sites/*", (n, ex) -> Answer.json("{\"ok\":true}").delayed(1500));
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("sites.yaml", JOB).property("test.base-url", server.baseUrl()).start();
            String running = Cli.run("trigger", "sites", "--jmx", jmx).out().strip();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().size() == 3);

            Cli skipped = Cli.run("trigger", "sites", "-p", "sites=a", "--wait", "--jmx", jmx);

            assertThat(skipped.exitCode()).isEqualTo(5);
            assertThat(t.query("select status, params from job_run where run_id <> ?", running)).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("status", "skipped").containsEntry("params", "{\"sites\":\"a\"}"));
        }
    }

    @Test
    void a_retry_of_a_run_whose_parameter_held_a_configured_secret_is_refused_and_says_what_to_do() throws Exception {
        server.on("/sites/*", (n, ex) -> Answer.status(503));
        String job = JOB.replaceFirst("( *)- setBody:", "$1- setProperty:\n$1    name: token\n$1    constant: \"{{env:SITE_TOKEN}}\"\n$0");
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("sites.yaml", job).property("test.base-url", server.baseUrl()).env("SITE_TOKEN", "s3cr3t-t0ken")
                    .property("caravan.retry.max-attempts", "1").start();
            String runId = Cli.run("trigger", "sites", "-p", "sites=e", "-p", "key=s3cr3t-t0ken", "--wait", "--jmx", jmx)
                    .out().lines().findFirst().orElseThrow();

            Cli retry = Cli.run("retry", "sites", "--jmx", jmx);

            assertThat(retry.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
            assertThat(retry.err()).contains("Run " + runId + " was triggered with parameter(s) [key] holding a configured"
                    + " secret, which is not recorded: trigger job sites again with its parameters instead");
            assertThat(t.count("select count(*) from job_run where trigger_type = 'retry'")).isZero();
        }
    }
}
