package caravan.config;

import java.util.Locale;
import java.util.Map;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{env:NAME}}} and {@code {{env:NAME:default}}} in route files, read from the daemon's environment. Every
 * value it hands out is remembered as a secret, so that it can be masked wherever Caravan writes text.
 */
public final class EnvironmentPlaceholders implements PropertiesFunction {

    private final Map<String, String> environment;
    private final Secrets secrets;

    public EnvironmentPlaceholders(Map<String, String> environment, Secrets secrets) {
        this.environment = environment;
        this.secrets = secrets;
    }

    @Override
    public String getName() {
        return "env";
    }

    @Override
    public String apply(String remainder) {
        int colon = remainder.indexOf(':');
        String name = colon < 0 ? remainder : remainder.substring(0, colon);
        String fallback = colon < 0 ? null : remainder.substring(colon + 1);
        String value = lookup(name.trim());
        if (value == null) {
            return fallback;
        }
        secrets.add(value);
        return value;
    }

    private String lookup(String name) {
        String value = environment.get(name);
        if (value == null) {
            value = environment.get(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value;
    }
}
