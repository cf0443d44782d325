package caravan.config;

import java.time.Duration;

/** Quartz and run lifecycle settings; job fires run on virtual threads when fan-out branches do. */
public record SchedulerSettings(int threads, Duration shutdownTimeout, int fanoutConcurrency, boolean virtualThreads,
        Duration fireAhead) {

    /**
     * Runs at the same moment. Threads are made per fire, not kept, so a high cap costs nothing while idle; it is
     * also how many triggers due together Quartz acquires ahead of their time in one batch.
     */
    public static final int DEFAULT_THREADS = 200;
    /** How early Quartz's bookkeeping for a fire may be done; the run itself starts at its scheduled time. */
    public static final Duration DEFAULT_FIRE_AHEAD = Duration.ofMillis(500);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_FANOUT_CONCURRENCY = 50;

    public static SchedulerSettings from(CaravanProperties p) {
        return new SchedulerSettings(
                p.getInt("caravan.scheduler.threads", DEFAULT_THREADS),
                p.getDuration("caravan.shutdown-timeout", DEFAULT_SHUTDOWN_TIMEOUT),
                p.getInt("caravan.fanout.concurrency", DEFAULT_FANOUT_CONCURRENCY),
                FanoutThreads.from(p).virtual(Runtime.version().feature()),
                p.getDuration("caravan.scheduler.fire-ahead", DEFAULT_FIRE_AHEAD));
    }
}
