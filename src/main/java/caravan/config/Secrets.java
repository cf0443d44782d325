package caravan.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that must never be written anywhere: every value a route resolved from {@code {{env:NAME}}}. Text headed
 * for the database or a log goes through {@link #mask} first.
 */
public final class Secrets {

    /** Shorter values are too likely to occur by chance ("1", "true") to be masked usefully. */
    static final int MIN_LENGTH = 6;
    public static final String MASK = "***";

    private final Set<String> values = ConcurrentHashMap.newKeySet();

    public void add(String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            values.add(value);
        }
    }

    public String mask(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : values) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
