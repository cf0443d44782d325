package caravan.jmx;

import caravan.config.Durations;
import caravan.runs.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The filters of {@code runs}: statuses as an operator writes them, and a time as an age or an instant. */
final class RunFilter {

    static final Duration DEFAULT_SINCE = Duration.ofHours(24);

    private RunFilter() {
    }

    /** {@code failed,partial} to those statuses; null or blank: none, meaning all. */
    static Set<RunStatus> statuses(String text) {
        Set<RunStatus> out = EnumSet.noneOf(RunStatus.class);
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String s : text.split(",")) {
            String name = s.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                out.add(RunStatus.fromDb(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "' is not a run status: use any of " + Arrays.stream(RunStatus.values())
                        .map(RunStatus::dbName).collect(Collectors.joining(", ")));
            }
        }
        return out;
    }

    /** {@code 24h}, {@code 7d}, {@code 30m} back from {@code now}, or an ISO-8601 instant; null or blank: 24 hours back. */
    static Instant since(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return now.minus(DEFAULT_SINCE);
        }
        String t = text.strip();
        if (Character.isDigit(t.charAt(0)) && t.contains("T")) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since " + t + " is not an instant: write e.g. 2026-12-01T00:00:00Z,"
                        + " or an age such as 24h or 7d");
            }
        }
        try {
            return now.minus(Durations.parse("--since", t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--since " + t + " is neither an age (24h, 7d, 30m) nor an instant"
                    + " (2026-12-01T00:00:00Z)");
        }
    }
}
