package caravan.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The effective configuration: the properties file, then {@code -Dcaravan.x.y} system properties, then
 * {@code CARAVAN_X_Y} environment variables, each overriding the one before.
 */
public final class CaravanProperties {

    private static final String PREFIX = "caravan.";

    private final Properties properties;

    private CaravanProperties(Properties properties) {
        this.properties = properties;
    }

    public static CaravanProperties load(Path file, Map<String, String> systemProperties, Map<String, String> env) {
        Properties merged = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                merged.load(reader);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read configuration " + file + ": " + e.getMessage(), e);
            }
        }
        systemProperties.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                merged.setProperty(key, value);
            }
        });
        env.forEach((name, value) -> {
            if (name.startsWith("CARAVAN_")) {
                merged.setProperty(keyForEnvironmentName(name, merged), value);
            }
        });
        return new CaravanProperties(merged);
    }

    public static CaravanProperties of(Properties properties) {
        Properties copy = new Properties();
        copy.putAll(properties);
        return new CaravanProperties(copy);
    }

    /** {@code CARAVAN_RETRY_MAX_ATTEMPTS} names {@code caravan.retry.max-attempts} when that key is known. */
    static String keyForEnvironmentName(String name, Properties known) {
        for (String key : Settings.KNOWN_KEYS) {
            if (envName(key).equals(name)) {
                return key;
            }
        }
        for (String key : known.stringPropertyNames()) {
            if (envName(key).equals(name)) {
                return key;
            }
        }
        return name.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key, String defaultValue) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    public int getInt(String key, int defaultValue) {
        String value = get(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number");
        }
    }

    public double getDouble(String key, double defaultValue) {
        String value = get(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a number");
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String value = get(key, null);
        if (value == null) {
            return defaultValue;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + "=" + value + " must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    public java.time.Duration getDuration(String key, java.time.Duration defaultValue) {
        String value = get(key, null);
        return value == null ? defaultValue : Durations.parse(key, value);
    }

    /** Every property, for Camel's property placeholders ({@code {{site.base-url}}}) and {@code camel.*} keys. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }
}
