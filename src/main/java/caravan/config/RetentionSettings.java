package caravan.config;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long history is kept: runs (with their results and dead letters) older than {@code maxAge} or beyond the
 * newest {@code maxRuns} of a job are purged; the newest result per item always stays. Zero means no limit.
 */
public record RetentionSettings(Policy defaults, Map<String, Policy> perJob, Duration interval) {

    /** One job's limits; zero disables a limit. */
    public record Policy(Duration maxAge, int maxRuns) {

        public boolean limitsNothing() {
            return maxAge.isZero() && maxRuns == 0;
        }
    }

    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);
    public static final int DEFAULT_MAX_RUNS = 0;
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    static final String JOB_PREFIX = "caravan.retention.job.";

    public static RetentionSettings from(CaravanProperties p) {
        Policy defaults = new Policy(p.getDuration("caravan.retention.max-age", DEFAULT_MAX_AGE),
                nonNegative(p, "caravan.retention.max-runs", DEFAULT_MAX_RUNS));
        Map<String, Policy> perJob = new TreeMap<>();
        for (String key : p.asProperties().stringPropertyNames()) {
            if (!key.startsWith(JOB_PREFIX)) {
                continue;
            }
            String rest = key.substring(JOB_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String jobId = dot > 0 ? rest.substring(0, dot) : "";
            String limit = dot > 0 ? rest.substring(dot + 1) : rest;
            if (jobId.isEmpty() || !(limit.equals("max-age") || limit.equals("max-runs"))) {
                throw new IllegalArgumentException(key + " is not a retention key: write "
                        + JOB_PREFIX + "JOB.max-age or " + JOB_PREFIX + "JOB.max-runs");
            }
            perJob.put(jobId, new Policy(
                    p.getDuration(JOB_PREFIX + jobId + ".max-age", defaults.maxAge()),
                    nonNegative(p, JOB_PREFIX + jobId + ".max-runs", defaults.maxRuns())));
        }
        return new RetentionSettings(defaults, Map.copyOf(perJob), p.getDuration("caravan.retention.interval", DEFAULT_INTERVAL));
    }

    public Policy forJob(String jobId) {
        return perJob.getOrDefault(jobId, defaults);
    }

    private static int nonNegative(CaravanProperties p, String key, int defaultValue) {
        int value = p.getInt(key, defaultValue);
        if (value < 0) {
            throw new IllegalArgumentException(key + "=" + value + " must be 0 (no limit) or more");
        }
        return value;
    }
}
