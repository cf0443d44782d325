package caravan.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UnsupportedCamelKeysTest {

    private static Properties file(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }

    @Test
    void pooled_exchanges_are_refused_from_the_file_or_a_system_property_with_what_to_do() {
        assertThatThrownBy(() -> UnsupportedCamelKeys.check(file("camel.main.exchangeFactory", "pooled"), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("camel.main.exchangeFactory=pooled is not supported")
                .hasMessageContaining("Remove it from the configuration file");
        assertThatThrownBy(() -> UnsupportedCamelKeys.check(new Properties(), Map.of("camel.main.exchangeFactory", " Pooled"), Map.of()))
                .hasMessageContaining("is not supported").hasMessageContaining("the -D options");
    }

    @Test
    void pooled_exchanges_are_refused_from_the_environment_where_camel_main_reads_its_keys_too() {
        assertThatThrownBy(() -> UnsupportedCamelKeys.check(file("camel.main.exchangeFactory", "default"), Map.of(),
                Map.of("CAMEL_MAIN_EXCHANGEFACTORY", "pooled")))
                .hasMessageContaining("CAMEL_MAIN_EXCHANGEFACTORY=pooled is not supported")
                .hasMessageContaining("Remove it from the environment");
        assertThatCode(() -> UnsupportedCamelKeys.check(new Properties(), Map.of(),
                Map.of("CAMEL_MAIN_EXCHANGEFACTORY", "prototype", "PATH", "/usr/bin")))
                .doesNotThrowAnyException();
    }

    @Test
    void the_default_factory_and_other_camel_keys_pass() {
        assertThatCode(() -> UnsupportedCamelKeys.check(file("camel.main.exchangeFactory", "default"), Map.of(), Map.of()))
                .doesNotThrowAnyException();
        assertThatCode(() -> UnsupportedCamelKeys.check(file("camel.main.exchangeFactory", "prototype"), Map.of(), Map.of()))
                .doesNotThrowAnyException();
        assertThatCode(() -> UnsupportedCamelKeys.check(file("camel.main.tracing", "true"), Map.of(), Map.of()))
                .doesNotThrowAnyException();
    }
}
