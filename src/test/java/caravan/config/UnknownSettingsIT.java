package caravan.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import caravan.daemon.Daemon;
import caravan.support.TestDaemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A caravan.* key no setting reads is said at start, with the key it was probably meant to be. */
class UnknownSettingsIT {

    @TempDir
    Path home;

    @Test
    void a_misspelt_key_is_warned_with_a_suggestion_and_known_keys_families_and_the_environment_are_not() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Daemon.class);
        logger.addAppender(log);
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("caravan.notify.urll", "http://127.0.0.1:9/hook")
                    .property("caravan.retry.max-attempt", "5")
                    .property("caravan.something.else.entirely", "x")
                    .property("caravan.http.max-per-host.example.com", "2")
                    .property("caravan.retention.job.prices.max-age", "7d")
                    .property("caravan.store.hash-cache-size", "100")
                    .env("CARAVAN_JIT", "hot") // the launcher's own variable
                    .start();
        } finally {
            logger.detachAppender(log);
        }
        List<String> warnings;
        synchronized (log) {
            warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("is not a Caravan setting")).toList();
        }
        assertThat(warnings).containsExactlyInAnyOrder(
                "caravan.notify.urll is not a Caravan setting and is ignored: did you mean caravan.notify.url?",
                "caravan.retry.max-attempt is not a Caravan setting and is ignored: did you mean caravan.retry.max-attempts?",
                "caravan.something.else.entirely is not a Caravan setting and is ignored: see the README's configuration table");
    }
}
