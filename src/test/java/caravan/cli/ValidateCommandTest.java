package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.LogCapture;
import caravan.support.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan validate} checks files and folders offline, with no daemon running. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_valid_file_shows_its_job_with_the_next_three_fire_times() throws Exception {
        Path file = dir.resolve("hourly.yaml");
        Files.writeString(file, TestJobs.QUICK.replace("0 0 0 1 1 ? 2099", "0 0 * * * ?"));
        Cli cli = Cli.run("validate", file.toString(), "--config", dir.resolve("none.properties").toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("quick: cron '0 0 \\* \\* \\* \\?' in \\S+, next: \\S+T\\d\\d:00\\S*, \\S+T\\d\\d:00\\S*, \\S+T\\d\\d:00\\S*\\R")
                .contains("1 file(s) valid");
    }

    @Test
    void every_problem_in_a_folder_is_reported_as_file_line_message_and_exits_1() throws Exception {
        Files.writeString(dir.resolve("a-good.yaml"), TestJobs.QUICK);
        Files.writeString(dir.resolve("b-cron.yaml"), TestJobs.SLOW.replace("0 0 0 1 1 ? 2099", "0 0 25 * * ?"));
        Files.writeString(dir.resolve("c-component.yaml"), TestJobs.SLOW.replace("id: slow", "id: other")
                .replace("to: caravan:store", "to: nosuch:store"));
        Cli cli;
        List<String> logged;
        try (LogCapture log = LogCapture.of("caravan")) {
            cli = Cli.run("validate", dir.toString(), "--config", dir.resolve("none.properties").toString());
            logged = log.messages();
        }
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
        assertThat(cli.err()).contains(
                dir.resolve("b-cron.yaml").toAbsolutePath() + ":6: cron '0 0 25 * * ?' is invalid: Hour values must be between 0 and 23",
                dir.resolve("c-component.yaml").toAbsolutePath() + ":15: unknown component 'nosuch' in 'nosuch:store':"
                        + " check the spelling, or add the camel-nosuch dependency",
                "2 problem(s) in 3 file(s)");
        // each problem once: validate's own line, no log line beside it
        assertThat(cli.err().split("cron '0 0 25", -1)).hasSize(2);
        assertThat(logged).noneMatch(m -> m.contains("cron '0 0 25"));
        assertThat(cli.out()).containsPattern("quick: cron '0 0 0 1 1 \\? 2099' in \\S+, next: 2099-01-01T00:00");
    }

    @Test
    void a_fetch_step_is_checked_offline_and_a_misspelt_option_is_named() throws Exception {
        String fetch = """
                - route:
                    id: prices
                    from:
                      uri: quartz:shop/prices
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "1,2"
                        - to:
                            uri: caravan:fetch
                            parameters:
                              delimiter: ","
                              url: "http://127.0.0.1:9/item/${body}"
                """;
        Files.writeString(dir.resolve("a-fetch.yaml"), fetch);
        Files.writeString(dir.resolve("b-typo.yaml"), fetch.replace("id: prices", "id: typo").replace("delimiter:", "delimter:"));
        Cli cli = Cli.run("validate", dir.toString(), "--config", dir.resolve("none.properties").toString());
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
        assertThat(cli.out()).contains("prices: cron");
        assertThat(cli.err()).contains(dir.resolve("b-typo.yaml").toAbsolutePath() + ":10:")
                .contains("Unknown parameters=[{delimter=,}]").contains("1 problem(s) in 2 file(s)");
    }

    @Test
    void a_missing_path_is_a_problem() {
        Cli cli = Cli.run("validate", dir.resolve("nope.yaml").toString());
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
        assertThat(cli.err()).contains("nope.yaml: no such file or folder");
    }

    @Test
    void a_secret_file_that_cannot_be_read_is_named_with_what_to_do() throws Exception {
        Path missing = dir.resolve("token");
        Files.writeString(dir.resolve("api.yaml"), TestJobs.QUICK.replace("to: caravan:store",
                "toD: \"http://127.0.0.1:9/x?token={{file:" + missing + "}}\""));
        Cli cli = Cli.run("validate", dir.resolve("api.yaml").toString(), "--config", dir.resolve("none.properties").toString());
        assertThat(cli.exitCode()).isEqualTo(CaravanCommand.EXIT_FAILED);
        assertThat(cli.err()).contains("api.yaml:13: {{file:" + missing + "}}: cannot read " + missing
                + " (NoSuchFileException): create it, or correct the path");
        Files.writeString(missing, "tok-123456\n");
        assertThat(Cli.run("validate", dir.resolve("api.yaml").toString(), "--config", dir.resolve("none.properties").toString())
                .exitCode()).isZero();
    }
}
