package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.routes.RouteValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate reads Caravan's quartz options and shows the next three fire times in the job's zone with offsets. */
class JobScheduleValidationTest {

    @TempDir
    Path dir;

    private Path file(String name, String catchUp) throws Exception {
        return Files.writeString(dir.resolve(name), """
                - route:
                    id: daily
                    from:
                      uri: quartz:reports/daily
                      parameters:
                        cron: "0 30 2 * * ?"
                        trigger.timeZone: America/New_York
                        catchup: %s
                        catchupMax: 3
                      steps:
                        - log: "hello"
                """.formatted(catchUp));
    }

    @Test
    void validate_accepts_a_catch_up_policy_and_shows_the_next_three_fires_with_their_offset() throws Exception {
        RouteValidator.Report report = RouteValidator.validate(List.of(file("daily.yaml", "all")), dir.resolve("none.properties"));
        assertThat(report.problems()).isEmpty();
        assertThat(report.jobs()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("daily: cron '0 30 2 * * ?' in America/New_York, next: ")
                .containsPattern("next: \\d{4}-\\d\\d-\\d\\dT02:30-0[45]:00, \\S+T0[23]:[03]0-0[45]:00, \\S+-0[45]:00$"));
    }

    @Test
    void validate_reports_an_unknown_catch_up_policy_with_its_file_and_what_to_write() throws Exception {
        RouteValidator.Report report = RouteValidator.validate(List.of(file("daily.yaml", "sometimes")), dir.resolve("none.properties"));
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.file().getFileName().toString()).isEqualTo("daily.yaml");
            assertThat(p.message()).contains("catchup=sometimes is not a catch-up policy: write skip, last or all");
        });
    }
}
