package caravan.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Camel Main keys that a configuration file (or {@code -D}) could set and that break Caravan's runs: refused at start
 * with what to do, instead of runs that never end.
 */
public final class UnsupportedCamelKeys {

    static final String EXCHANGE_FACTORY = "camel.main.exchangeFactory";

    private UnsupportedCamelKeys() {
    }

    /**
     * With {@code pooled} exchanges, a fan-out's every request was answered and its run's end was never recorded (the
     * cause is not yet known). {@code camelProperties} are the configuration file's keys; a {@code -D} one wins.
     */
    public static void check(Properties camelProperties, Map<String, String> systemProperties) {
        String value = systemProperties.getOrDefault(EXCHANGE_FACTORY, camelProperties.getProperty(EXCHANGE_FACTORY));
        if (value != null && value.trim().toLowerCase(Locale.ROOT).equals("pooled")) {
            throw new IllegalArgumentException(EXCHANGE_FACTORY + "=" + value + " is not supported: Caravan's runs"
                    + " need a new exchange per message (exchangeFactory default or prototype): with pooled exchanges a"
                    + " run's end is never recorded. Remove the key from the configuration and the -D options");
        }
    }
}
