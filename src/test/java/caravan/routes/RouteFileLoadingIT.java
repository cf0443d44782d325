package caravan.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.daemon.Daemon;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad route file is reported with file and line and never stops the other jobs. */
class RouteFileLoadingIT {

    @TempDir
    Path home;

    private LogCapture startLog;

    @BeforeEach
    void listen() {
        startLog = LogCapture.of(Daemon.class);
    }

    @AfterEach
    void stopListening() {
        startLog.close();
    }

    private static final String GOOD = """
            - route:
                id: good-job
                from:
                  uri: quartz:test/good
                  parameters:
                    cron: "0/1 * * * * ?"
                  steps:
                    - log: "tick"
            """;

    @Test
    void a_job_without_an_id_is_a_load_error_that_names_file_and_line() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("good.yaml", GOOD).route("no-id.yaml", """
                    # a job must have an id
                    - route:
                        from:
                          uri: quartz:test/anonymous
                          parameters:
                            cron: "0 0 * * * ?"
                          steps:
                            - log: "never"
                    """).start();
            assertThat(t.daemon().routeFiles().problems()).hasSize(1);
            RouteProblem problem = t.daemon().routeFiles().problems().get(0);
            assertThat(problem.file().getFileName().toString()).isEqualTo("no-id.yaml");
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.toString()).endsWith("no-id.yaml:2: the job from 'quartz:test/anonymous'"
                    + " has no id: add 'id: my-job' to the route (the id is the job's name)");
            assertThat(t.daemon().jobs().schedules()).extracting(s -> s.jobId()).containsExactly("good-job");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    t.count("select count(*) from job_run where job_id = 'good-job' and status = 'succeeded'") >= 1);
        }
    }

    @Test
    void broken_yaml_an_unknown_component_and_a_bad_cron_are_each_reported_and_the_good_job_runs() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("good.yaml", GOOD)
                    .route("syntax.yaml", "- route:\n    id: broken\n    from: [unclosed\n")
                    .route("unknown.yaml", """
                            - route:
                                id: unknown-component
                                from:
                                  uri: quartz:test/unknown
                                  parameters:
                                    cron: "0 0 * * * ?"
                                  steps:
                                    - to: "nosuchthing:foo"
                            """)
                    .route("cron.yaml", """
                            - route:
                                id: bad-cron
                                from:
                                  uri: quartz:test/badcron
                                  parameters:
                                    cron: "0 0 25 * * ?"
                                  steps:
                                    - log: "never"
                            """)
                    .start();
            assertThat(t.daemon().routeFiles().problems()).extracting(p -> p.file().getFileName().toString())
                    .containsExactlyInAnyOrder("syntax.yaml", "unknown.yaml", "cron.yaml");
            // the start logs each problem once, with its file and line
            assertThat(startLog.messages()).filteredOn(m -> m.contains("cron.yaml:4: cron '0 0 25 * * ?' is invalid")).hasSize(1);
            assertThat(t.daemon().routeFiles().problems()).allSatisfy(p -> assertThat(p.line()).isPositive());
            assertThat(problemOf(t, "cron.yaml")).endsWith("cron.yaml:4: cron '0 0 25 * * ?' is invalid:"
                    + " Hour values must be between 0 and 23");
            assertThat(problemOf(t, "syntax.yaml")).endsWith("syntax.yaml:3: while parsing a flow sequence"
                    + " expected ',' or ']', but got <stream end>");
            assertThat(problemOf(t, "unknown.yaml")).endsWith("unknown.yaml:8: unknown component 'nosuchthing' in 'nosuchthing:foo':"
                    + " check the spelling, or add the camel-nosuchthing dependency");
            assertThat(t.daemon().jobs().schedules()).extracting(s -> s.jobId()).containsExactly("good-job");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    t.count("select count(*) from job_run where job_id = 'good-job' and status = 'succeeded'") >= 1);
        }
    }

    @Test
    void a_route_id_used_by_two_files_is_reported_on_the_second() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("a.yaml", GOOD).route("b.yaml", GOOD).start();
            assertThat(t.daemon().routeFiles().problems()).singleElement()
                    .satisfies(p -> assertThat(p.toString()).contains("b.yaml").contains("route id 'good-job' is already used"));
        }
    }

    private static String problemOf(TestDaemon t, String file) {
        return t.daemon().routeFiles().problems().stream().filter(p -> p.file().getFileName().toString().equals(file))
                .findFirst().orElseThrow().toString();
    }
}
