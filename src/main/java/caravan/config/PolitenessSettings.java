package caravan.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How hard Caravan may press on sites: requests in flight overall and per host, a minimum delay between requests
 * to one host, an optional adaptive per-host throttle, and optional robots.txt respect.
 */
public record PolitenessSettings(int maxConcurrent, Duration hostDelay, boolean autoThrottle,
        double autoThrottleTargetConcurrency, Duration autoThrottleMaxDelay, boolean robotsTxt,
        Map<String, Integer> maxPerHostOverrides) {

    /** {@code caravan.http.max-per-host.api.openai.com=4}: a cap for one host (or {@code host:port}). */
    public static final String MAX_PER_HOST_PREFIX = "caravan.http.max-per-host.";

    public static final int DEFAULT_MAX_CONCURRENT = 64;
    public static final Duration DEFAULT_HOST_DELAY = Duration.ZERO;
    public static final double DEFAULT_TARGET_CONCURRENCY = 2.0;
    public static final Duration DEFAULT_AUTO_THROTTLE_MAX_DELAY = Duration.ofSeconds(30);

    public static PolitenessSettings from(CaravanProperties p) {
        // by default at least one fan-out's worth, so that parallelProcessing gets the configured concurrency
        int maxConcurrent = p.getInt("caravan.http.max-concurrent", Math.max(DEFAULT_MAX_CONCURRENT,
                p.getInt("caravan.fanout.concurrency", SchedulerSettings.DEFAULT_FANOUT_CONCURRENCY)));
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("caravan.http.max-concurrent=" + maxConcurrent + " must be at least 1");
        }
        double target = p.getDouble("caravan.http.auto-throttle.target-concurrency", DEFAULT_TARGET_CONCURRENCY);
        if (target <= 0) {
            throw new IllegalArgumentException("caravan.http.auto-throttle.target-concurrency=" + target + " must be above 0");
        }
        return new PolitenessSettings(maxConcurrent,
                p.getDuration("caravan.http.host-delay", DEFAULT_HOST_DELAY),
                p.getBoolean("caravan.http.auto-throttle", false),
                target,
                p.getDuration("caravan.http.auto-throttle.max-delay", DEFAULT_AUTO_THROTTLE_MAX_DELAY),
                p.getBoolean("caravan.http.robots-txt", false),
                overrides(p));
    }

    static Map<String, Integer> overrides(CaravanProperties p) {
        Map<String, Integer> caps = new TreeMap<>();
        for (String key : p.asProperties().stringPropertyNames()) {
            if (key.startsWith(MAX_PER_HOST_PREFIX) && key.length() > MAX_PER_HOST_PREFIX.length()) {
                int cap = p.getInt(key, 1);
                if (cap < 1) {
                    throw new IllegalArgumentException(key + "=" + cap + " must be at least 1");
                }
                caps.put(key.substring(MAX_PER_HOST_PREFIX.length()).toLowerCase(Locale.ROOT), cap);
            }
        }
        return Map.copyOf(caps);
    }

    /** The cap for a host given as {@code name:port}: its own ({@code name:port}, then {@code name}), else the default. */
    public int maxPerHost(String hostAndPort, int defaultCap) {
        Integer cap = maxPerHostOverrides.get(hostAndPort);
        if (cap == null) {
            int colon = hostAndPort.lastIndexOf(':');
            cap = maxPerHostOverrides.get(colon < 0 ? hostAndPort : hostAndPort.substring(0, colon));
        }
        return cap != null ? cap : defaultCap;
    }
}
