package caravan.config;

import java.util.Locale;
import java.util.Properties;

/**
 * How parallel EIPs run their branches: {@code caravan.fanout.concurrency} branches in flight per EIP, on virtual
 * threads when the JVM has them ({@code caravan.fanout.virtual-threads}: {@code auto}, {@code true}, {@code false}).
 * A branch blocked in a blocking HTTP call then costs a virtual thread, not a platform thread.
 */
public record FanoutThreads(int concurrency, Mode mode) {

    public static final String MODE_KEY = "caravan.fanout.virtual-threads";
    /** Queued branches of a platform-thread pool before the caller runs one itself. */
    static final int PLATFORM_QUEUE = 1000;
    /** Virtual threads came with Java 21. */
    static final int FIRST_JAVA_WITH_VIRTUAL_THREADS = 21;

    /** Whether virtual threads are used: {@code AUTO} uses them when the running JVM has them. */
    public enum Mode {
        AUTO, ON, OFF;

        static Mode parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "true", "on" -> ON;
                case "false", "off" -> OFF;
                default -> throw new IllegalArgumentException(MODE_KEY + "=" + value + " is not one of auto, true, false");
            };
        }
    }

    public static FanoutThreads from(CaravanProperties p) {
        int concurrency = p.getInt("caravan.fanout.concurrency", SchedulerSettings.DEFAULT_FANOUT_CONCURRENCY);
        if (concurrency < 1) {
            throw new IllegalArgumentException("caravan.fanout.concurrency=" + concurrency + " must be at least 1");
        }
        return new FanoutThreads(concurrency, Mode.parse(p.get(MODE_KEY, "auto")));
    }

    /** Whether branches run on virtual threads in a JVM of this feature version. */
    public boolean virtual(int javaFeatureVersion) {
        return switch (mode) {
            case ON -> {
                if (javaFeatureVersion < FIRST_JAVA_WITH_VIRTUAL_THREADS) {
                    throw new IllegalArgumentException(MODE_KEY + "=true needs Java " + FIRST_JAVA_WITH_VIRTUAL_THREADS
                            + " or later; this JVM is Java " + javaFeatureVersion + ": use auto, or run on a newer JVM");
                }
                yield true;
            }
            case OFF -> false;
            case AUTO -> javaFeatureVersion >= FIRST_JAVA_WITH_VIRTUAL_THREADS;
        };
    }

    /** For the start-up line. */
    public String describe(int javaFeatureVersion) {
        return "fanout.threads=" + (virtual(javaFeatureVersion) ? "virtual" : "platform") + "(" + mode.name().toLowerCase(Locale.ROOT) + ")";
    }

    /**
     * Camel Main's keys for the default thread pool profile (the pool of every parallel EIP without its own) and
     * virtual threads. Camel bounds a virtual-thread pool by its queue size (a semaphore), not its pool size, so in
     * that mode the queue size is the concurrency.
     */
    public Properties camelProperties(int javaFeatureVersion) {
        boolean virtual = virtual(javaFeatureVersion);
        Properties p = new Properties();
        p.setProperty("camel.main.virtualThreadsEnabled", Boolean.toString(virtual));
        p.setProperty("camel.threadpool.poolSize", Integer.toString(concurrency));
        p.setProperty("camel.threadpool.maxPoolSize", Integer.toString(concurrency));
        p.setProperty("camel.threadpool.maxQueueSize", Integer.toString(virtual ? concurrency : PLATFORM_QUEUE));
        p.setProperty("camel.threadpool.rejectedPolicy", "CallerRuns");
        return p;
    }
}
