package caravan.config;

/** How many lines of what a run logs are kept with it ({@code caravan.runs.log-lines}); 0 keeps none. */
public record RunLogSettings(int lines) {

    public static final String KEY = "caravan.runs.log-lines";
    static final int DEFAULT_LINES = 500;
    static final int MAX_LINES = 10_000;

    public static RunLogSettings from(CaravanProperties p) {
        int lines = p.getInt(KEY, DEFAULT_LINES);
        if (lines < 0 || lines > MAX_LINES) {
            throw new IllegalArgumentException(KEY + "=" + lines + " must be from 0 (keep no log lines) to " + MAX_LINES);
        }
        return new RunLogSettings(lines);
    }
}
