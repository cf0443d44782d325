package caravan.config;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.daemon.Daemon;
import caravan.support.LogCapture;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caravan.* key no setting reads is said at start, with the key it was probably meant to be. */
class UnknownSettingsIT {

    @TempDir
    Path home;

    @Test
    void a_misspelt_key_is_warned_with_a_suggestion_and_known_keys_families_and_the_environment_are_not() throws Exception {
        List<String> warnings;
        try (LogCapture log = LogCapture.of(Daemon.class); TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.notify.urll", "http://127.0.0.1:9/hook")
                    .property("caravan.retry.max-attempt", "5")
                    .property("caravan.something.else.entirely", "x")
                    .property("caravan.http.max-per-host.example.com", "2")
                    .property("caravan.retention.job.prices.max-age", "7d")
                    .property("caravan.store.hash-cache-size", "100")
                    .env("CARAVAN_JIT", "hot") // the launcher's own variable
                    .start();
            warnings = log.messages().stream().filter(m -> m.contains("is not a Caravan setting")).toList();
        }
        assertThat(warnings).containsExactlyInAnyOrder(
                "caravan.notify.urll is not a Caravan setting and is ignored: did you mean caravan.notify.url?",
                "caravan.retry.max-attempt is not a Caravan setting and is ignored: did you mean caravan.retry.max-attempts?",
                "caravan.something.else.entirely is not a Caravan setting and is ignored: see the README's configuration table");
    }
}
