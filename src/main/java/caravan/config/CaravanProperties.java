package caravan.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective configuration: the properties file, then {@code -Dcaravan.x.y} system properties, then
 * {@code CARAVAN_X_Y} environment variables, each overriding the one before. In {@code caravan.*} values,
 * {@code {{env:NAME}}}, {@code {{env:NAME:default}}} and {@code {{file:PATH}}} are replaced at load, so that
 * a setting such as the database password is referenced, not written; what they give is kept as a secret.
 */
public final class CaravanProperties {

    private static final String PREFIX = "caravan.";

    private final Properties properties;
    /** The {@code caravan.*} keys the file and {@code -D} set (not the environment: it has the launcher's own). */
    private final java.util.Set<String> writtenKeys;

    private CaravanProperties(Properties properties, java.util.Set<String> writtenKeys) {
        this.properties = properties;
        this.writtenKeys = writtenKeys;
    }

    /** {@code {{env:NAME}}}, {@code {{env:NAME:default}}} or {@code {{file:PATH}}} inside a value. */
    private static final Pattern SECRET_REFERENCE = Pattern.compile("\\{\\{(env|file):([^}]*)\\}\\}");

    public static CaravanProperties load(Path file, Map<String, String> systemProperties, Map<String, String> env) {
        return load(file, systemProperties, env, new Secrets());
    }

    /** {@code secrets}: where the values that references in {@code caravan.*} keys gave are remembered. */
    public static CaravanProperties load(Path file, Map<String, String> systemProperties, Map<String, String> env,
            Secrets secrets) {
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
        java.util.Set<String> written = new java.util.TreeSet<>();
        merged.stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX)).forEach(written::add);
        env.forEach((name, value) -> {
            if (name.startsWith("CARAVAN_")) {
                merged.setProperty(keyForEnvironmentName(name, merged), value);
            }
        });
        EnvironmentPlaceholders envFunction = new EnvironmentPlaceholders(env, secrets);
        FilePlaceholders fileFunction = new FilePlaceholders(secrets);
        for (String key : merged.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                merged.setProperty(key, resolveReferences(merged.getProperty(key), envFunction, fileFunction));
            }
        }
        return new CaravanProperties(merged, written);
    }

    /** The {@code caravan.*} keys written in the configuration file or given as {@code -D}: where a typo hides. */
    public java.util.Set<String> writtenKeys() {
        return writtenKeys;
    }

    /**
     * Replaces each reference that resolves; one that does not (an unset variable without a default, an unreadable
     * file) stays as written, and reading that key says why: a setting nothing reads stops nothing.
     */
    private static String resolveReferences(String value, EnvironmentPlaceholders env, FilePlaceholders file) {
        Matcher m = SECRET_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved;
            try {
                resolved = m.group(1).equals("env") ? env.apply(m.group(2)) : file.apply(m.group(2));
            } catch (IllegalArgumentException e) {
                resolved = null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved == null ? m.group() : resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Why a reference left in a value did not resolve, or null when none is left. */
    private static String unresolved(String key, String value) {
        Matcher m = SECRET_REFERENCE.matcher(value);
        if (!m.find()) {
            return null;
        }
        if (m.group(1).equals("file")) {
            try {
                FilePlaceholders.read(m.group(2).strip());
            } catch (IllegalArgumentException e) {
                return key + ": " + e.getMessage();
            }
            return key + ": " + m.group() + " could not be read when the configuration was loaded: start again";
        }
        String name = m.group(2).strip();
        return key + ": " + m.group() + " names the environment variable " + name + ", which is not set: set it, or"
                + " give a default as {{env:" + name + ":default}}";
    }

    public static CaravanProperties of(Properties properties) {
        Properties copy = new Properties();
        copy.putAll(properties);
        return new CaravanProperties(copy, java.util.Set.of());
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
        if (value != null && key.startsWith(PREFIX)) {
            String problem = unresolved(key, value);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
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
