package caravan.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them in properties: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}, {@code 7d}. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String key, String value) {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + "=" + value
                    + " is not a duration: write a number with ms, s, m, h or d (e.g. 30s)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s > 0 && s % 86_400 == 0) {
            return (s / 86_400) + "d";
        }
        if (s > 0 && s % 3600 == 0) {
            return (s / 3600) + "h";
        }
        return s % 60 == 0 && s > 0 ? (s / 60) + "m" : s + "s";
    }
}
