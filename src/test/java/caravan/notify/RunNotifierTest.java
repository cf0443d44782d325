package caravan.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import caravan.config.NotifySettings;
import caravan.config.Secrets;
import caravan.runs.JobRun;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.LogCapture;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A webhook that fails is tried again, and what is logged about it never shows the URL's secret path. */
class RunNotifierTest {

    static final String SECRET_PATH = "/services/T0001/B0002/hook-secret-9f3a";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    private final List<Boolean> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RunNotifier notifier() {
        NotifySettings settings = new NotifySettings(URI.create(server.baseUrl() + SECRET_PATH),
                EnumSet.of(RunStatus.FAILED), null, Duration.ofSeconds(2), false);
        return new RunNotifier(settings, new Secrets(), outcomes::add, run -> null,
                List.of(Duration.ofMillis(50), Duration.ofMillis(100)));
    }

    private static JobRun ended(RunStatus status) {
        Instant now = Instant.now();
        return new JobRun("run-1", "job", TriggerType.SCHEDULE, now, "node", now, now, status, 3, 3, 0, "all failed");
    }

    @Test
    void an_answer_other_than_2xx_is_tried_again_and_the_second_attempt_delivers() {
        server.on(SECRET_PATH, (n, ex) -> n == 1 ? Answer.status(503) : Answer.status(200));
        try (RunNotifier notifier = notifier()) {
            notifier.runEnded(ended(RunStatus.SUCCEEDED)); // not a chosen status
            notifier.runEnded(ended(RunStatus.FAILED));
            await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 1);
        }
        assertThat(server.count(SECRET_PATH)).isEqualTo(2);
        assertThat(outcomes).containsExactly(true);
    }

    @Test
    void after_the_last_attempt_the_failure_is_logged_with_the_host_only() {
        server.on(SECRET_PATH, (n, ex) -> Answer.status(500));
        List<String> warnings;
        try (LogCapture log = LogCapture.of(RunNotifier.class); RunNotifier notifier = notifier()) {
            notifier.runEnded(ended(RunStatus.FAILED));
            await().atMost(Duration.ofSeconds(5)).until(() -> log.messages(Level.WARN).size() == 1);
            warnings = log.messages(Level.WARN);
        }
        assertThat(server.count(SECRET_PATH)).isEqualTo(RunNotifier.ATTEMPTS);
        assertThat(outcomes).containsExactly(false);
        assertThat(warnings).singleElement().asString()
                .isEqualTo("Could not notify " + server.baseUrl() + " of run run-1 of job job (failed) after 3 attempt(s): HTTP 500")
                .doesNotContain("hook-secret");
    }

    @Test
    void on_change_when_the_run_before_cannot_be_read_a_chosen_run_is_told_and_a_success_that_is_not_chosen_is_not() {
        server.on(SECRET_PATH, (n, ex) -> Answer.status(204));
        NotifySettings settings = new NotifySettings(URI.create(server.baseUrl() + SECRET_PATH),
                EnumSet.of(RunStatus.FAILED), null, Duration.ofSeconds(2), true);
        RunNotifier.PreviousStatus unreadable = run -> {
            throw new IllegalStateException("database gone");
        };
        try (RunNotifier notifier = new RunNotifier(settings, new Secrets(), outcomes::add, unreadable, List.of(Duration.ofMillis(50)))) {
            notifier.runEnded(ended(RunStatus.SUCCEEDED));
            notifier.runEnded(ended(RunStatus.FAILED));
            await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 1);
        }
        assertThat(server.requestsTo(SECRET_PATH)).singleElement()
                .satisfies(r -> assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"status\":\"failed\""));
    }
}
