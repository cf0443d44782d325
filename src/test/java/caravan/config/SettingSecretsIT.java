package caravan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daemon settings reference their secrets as routes do: {@code {{env:NAME}}} and {@code {{file:PATH}}} in
 * {@code caravan.*} values are replaced before the daemon uses them, and what they give is never logged.
 */
class SettingSecretsIT {

    static final String DB_PASSWORD = "db-pass-81c2e7f4a9";
    static final String TOKEN = "file-tok-5d3b9e21c7";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path home;

    @Test
    void the_database_password_comes_from_a_file_and_is_the_one_the_database_is_opened_with() throws Exception {
        Path secret = Files.writeString(home.resolve("db-password"), DB_PASSWORD + "\n");
        String url;
        List<String> logged;
        try (LogCapture logs = LogCapture.root(); TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.db.password", "{{file:" + secret + "}}").start();
            url = t.url();
            t.stop();
            // the new database was created with the file's content, not with the text of the reference
            try (var c = DriverManager.getConnection(url, "sa", DB_PASSWORD)) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "{{file:" + secret + "}}").close())
                    .isInstanceOf(SQLException.class);
            logged = logs.messages();
        }
        assertThat(logged).isNotEmpty().noneMatch(m -> m.contains(DB_PASSWORD));
    }

    @Test
    void the_database_password_comes_from_the_environment_with_a_default_when_unset() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.db.password", "{{env:DB_SECRET}}").env("DB_SECRET", DB_PASSWORD).start();
            String url = t.url();
            t.stop();
            try (var c = DriverManager.getConnection(url, "sa", DB_PASSWORD)) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        CaravanProperties unset = load("caravan.db.password={{env:DB_SECRET:fallback-pw}}", Map.of());
        assertThat(unset.get("caravan.db.password", "")).isEqualTo("fallback-pw");
    }

    @Test
    void an_unset_variable_or_a_missing_file_stops_the_start_with_the_key_and_what_to_do() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            assertThatThrownBy(() -> t.property("caravan.db.password", "{{env:NO_SUCH_SECRET}}").start())
                    .hasMessageContaining("caravan.db.password: {{env:NO_SUCH_SECRET}} names the environment variable"
                            + " NO_SUCH_SECRET, which is not set: set it, or give a default as {{env:NO_SUCH_SECRET:default}}");
        }
        CaravanProperties missing = load("caravan.db.password={{file:" + home.resolve("absent") + "}}", Map.of());
        assertThatThrownBy(() -> missing.get("caravan.db.password", ""))
                .hasMessageStartingWith("caravan.db.password: {{file:" + home.resolve("absent") + "}}: cannot read ")
                .hasMessageEndingWith("(NoSuchFileException): create it, or correct the path");
        // a key nothing reads stops nothing: validate reads no database settings
        assertThat(missing.get("caravan.scheduler.time-zone", "UTC")).isEqualTo("UTC");
    }

    @Test
    void a_route_reads_a_token_from_a_file_and_it_is_masked_in_what_caravan_writes() throws Exception {
        Path token = Files.writeString(home.resolve("token"), TOKEN + "\n");
        server.on("/api/1", (n, ex) -> Answer.status(403));
        try (TestDaemon t = new TestDaemon(home)) {
            t.route("api.yaml", """
                    - route:
                        id: api
                        from:
                          uri: quartz:test/api
                          parameters:
                            cron: "0 0 0 1 1 ? 2099"
                          steps:
                            - setHeader:
                                name: CamelHttpMethod
                                constant: GET
                            - toD: "{{test.base-url}}/api/1?token={{file:%s}}"
                            - to: caravan:store
                    """.formatted(token)).property("test.base-url", server.baseUrl()).start();

            Map<String, Object> run = t.runToEnd("api", Duration.ofSeconds(20));

            assertThat(run.get("status")).isEqualTo("failed");
            assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.path()).endsWith("token=" + TOKEN));
            for (String table : List.of("job_run", "dead_letter")) {
                assertThat(t.query("select * from " + table)).isNotEmpty()
                        .allSatisfy(row -> assertThat(row.toString()).doesNotContain(TOKEN));
            }
        }
    }

    private CaravanProperties load(String line, Map<String, String> env) throws Exception {
        Path file = Files.writeString(home.resolve("extra.properties"), line + "\n");
        return CaravanProperties.load(file, Map.of(), env);
    }
}
