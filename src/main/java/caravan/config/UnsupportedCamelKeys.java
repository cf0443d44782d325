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
     * cause is not yet known). {@code camelProperties} are the configuration file's keys, then {@code -D} options and
     * the environment, where Camel Main also reads its keys ({@code CAMEL_MAIN_EXCHANGEFACTORY}): any of them
     * asking for pooled exchanges is refused, whichever Camel would let win.
     */
    public static void check(Properties camelProperties, Map<String, String> systemProperties, Map<String, String> environment) {
        refuse(EXCHANGE_FACTORY, camelProperties.getProperty(EXCHANGE_FACTORY), "the configuration file");
        refuse(EXCHANGE_FACTORY, systemProperties.get(EXCHANGE_FACTORY), "the -D options");
        environment.forEach((name, value) -> {
            if (name.replace("_", "").equalsIgnoreCase(EXCHANGE_FACTORY.replace(".", ""))) {
                refuse(name, value, "the environment");
            }
        });
    }

    private static void refuse(String key, String value, String where) {
        if (value != null && value.trim().toLowerCase(Locale.ROOT).equals("pooled")) {
            throw new IllegalArgumentException(key + "=" + value + " is not supported: Caravan's runs"
                    + " need a new exchange per message (exchangeFactory default or prototype): with pooled exchanges a"
                    + " run's end is never recorded. Remove it from " + where);
        }
    }
}
