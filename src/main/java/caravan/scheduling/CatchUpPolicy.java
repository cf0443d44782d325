package caravan.scheduling;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** What a job does about the fires it missed while the daemon was down, the job paused or its file reloading. */
public enum CatchUpPolicy {
    /** Only future fires: missed ones are not run. */
    SKIP,
    /** One run, for the most recent missed fire. */
    LAST,
    /** One run per missed fire, oldest first, at most the cap (the most recent ones). */
    ALL;

    /** The fires to run, oldest first, out of the missed ones (oldest first). */
    public List<Instant> select(List<Instant> missed, int cap) {
        if (missed.isEmpty()) {
            return List.of();
        }
        return switch (this) {
            case SKIP -> List.of();
            case LAST -> List.of(missed.get(missed.size() - 1));
            case ALL -> List.copyOf(missed.subList(Math.max(0, missed.size() - Math.max(0, cap)), missed.size()));
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code skip}, {@code last} or {@code all}; {@code where} names the setting in the error. */
    public static CatchUpPolicy parse(String value, String where) {
        for (CatchUpPolicy p : values()) {
            if (p.configName().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException(where + "=" + value + " is not a catch-up policy: write skip, last or all");
    }
}
