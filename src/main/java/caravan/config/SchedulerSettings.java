package caravan.config;

import java.time.Duration;

/** Quartz and run lifecycle settings. */
public record SchedulerSettings(int threads, Duration shutdownTimeout, int fanoutConcurrency) {

    public static final int DEFAULT_THREADS = 25;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_FANOUT_CONCURRENCY = 50;

    public static SchedulerSettings from(CaravanProperties p) {
        return new SchedulerSettings(
                p.getInt("caravan.scheduler.threads", DEFAULT_THREADS),
                p.getDuration("caravan.shutdown-timeout", DEFAULT_SHUTDOWN_TIMEOUT),
                p.getInt("caravan.fanout.concurrency", DEFAULT_FANOUT_CONCURRENCY));
    }
}
