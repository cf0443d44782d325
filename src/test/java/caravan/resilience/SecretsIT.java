package caravan.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A token from the environment is sent to the API but never written to a log line or a database row. */
class SecretsIT {

    static final String TOKEN = "tok-3f9a1c7e5b2d4860";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void a_token_from_the_environment_appears_in_no_log_line_and_no_database_row() throws Exception {
        server.on("/api/items/*", (n, ex) -> ex.getRequestURI().getPath().endsWith("/3")
                ? Answer.status(401) : Answer.json("{\"ok\":true}"));
        List<ILoggingEvent> logged;
        try (LogCapture logs = LogCapture.root(); TestDaemon t = new TestDaemon(home)) {
            t.route("api.yaml", """
                    - route:
                        id: api
                        from:
                          uri: quartz:test/api
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setBody:
                                constant: "1,2,3"
                            - split:
                                tokenize: ","
                                parallelProcessing: true
                                steps:
                                  - setHeader:
                                      name: Authorization
                                      constant: "Bearer {{env:API_TOKEN}}"
                                  - setHeader:
                                      name: CamelHttpMethod
                                      constant: GET
                                  - setHeader:
                                      name: CamelHttpQuery
                                      constant: "api_key={{env:API_TOKEN}}"
                                  - toD: "{{test.base-url}}/api/items/${body}"
                                  - to: caravan:store
                    """).property("test.base-url", server.baseUrl()).env("API_TOKEN", TOKEN).start();

            Map<String, Object> run = t.runToEnd("api", Duration.ofSeconds(20));
            t.stop();

            assertThat(run.get("status")).isEqualTo("partial");
            assertThat(server.requests()).allSatisfy(r -> {
                assertThat(r.headers().get("Authorization")).containsExactly("Bearer " + TOKEN);
                assertThat(r.path()).contains("api_key=" + TOKEN);
            });
            for (String table : List.of("job_run", "result", "dead_letter")) {
                for (Map<String, Object> row : t.query("select * from " + table)) {
                    assertThat(row.toString()).as("a %s row", table).doesNotContain(TOKEN);
                }
            }
            assertThat(t.query("select endpoint from dead_letter")).extracting(r -> (String) r.get("endpoint"))
                    .singleElement().asString().startsWith(server.baseUrl() + "/api/items/3?api_key=");
            logged = logs.events();
        }
        assertThat(logged).isNotEmpty();
        assertThat(logged).allSatisfy(e -> assertThat(e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).doesNotContain(TOKEN));
    }
}
