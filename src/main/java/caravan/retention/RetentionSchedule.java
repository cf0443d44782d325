package caravan.retention;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the retention purge on the daemon's own schedule: once shortly after start, then every interval. */
public final class RetentionSchedule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-retention");
        t.setDaemon(true);
        return t;
    });

    private RetentionSchedule() {
    }

    public static RetentionSchedule start(Retention retention, Duration interval) {
        RetentionSchedule schedule = new RetentionSchedule();
        long every = Math.max(1, interval.toMillis());
        schedule.executor.scheduleWithFixedDelay(() -> {
            try {
                retention.purgeAll();
            } catch (RuntimeException e) {
                LOG.error("Retention purge failed; it runs again in {} ms: {}", every, e.getMessage());
            }
        }, Math.min(every, 10_000), every, TimeUnit.MILLISECONDS);
        return schedule;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
