package caravan.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.support.TestDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Camel Main key that breaks runs stops the daemon at start, before it has opened its database. */
class UnsupportedCamelKeysIT {

    @TempDir
    Path home;

    @Test
    void pooled_exchanges_in_the_configuration_stop_the_daemon_before_it_opens_its_database() {
        try (TestDaemon t = new TestDaemon(home)) {
            t.property("camel.main.exchangeFactory", "pooled");

            assertThatThrownBy(t::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("camel.main.exchangeFactory=pooled is not supported");
            assertThat(t.data()).doesNotExist();
        }
    }
}
