package caravan.store;

import caravan.scheduling.CronFires;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's own backups ({@code caravan.backup.schedule}): one at each time of the cron, then the oldest
 * time-stamped ones beyond {@code caravan.backup.keep} removed. Kept off Quartz: a backup is the node's own
 * housekeeping, not a job, and must neither show in the job list nor wait for a job's thread.
 */
public final class BackupSchedule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-backup");
        t.setDaemon(true);
        return t;
    });
    private final DatabaseBackup backup;
    private final CronFires cron;
    private final int keep;
    private final Clock clock;

    private BackupSchedule(DatabaseBackup backup, CronFires cron, int keep, Clock clock) {
        this.backup = backup;
        this.cron = cron;
        this.keep = keep;
        this.clock = clock;
    }

    /** {@code cron}: a Quartz cron already checked by the settings, in {@code zone} (DST as for jobs, {@link CronFires}). */
    public static BackupSchedule start(DatabaseBackup backup, String cron, ZoneId zone, int keep, Clock clock) {
        BackupSchedule schedule = new BackupSchedule(backup, CronFires.of(cron, zone), keep, clock);
        Instant next = schedule.scheduleNext();
        LOG.info("Backups of the database: '{}' ({}), to {}, the newest {} kept; the next at {}", cron, zone.getId(),
                backup.dir(), keep, next);
        return schedule;
    }

    private Instant scheduleNext() {
        Instant next = cron.next(clock.instant());
        if (next == null) {
            LOG.warn("caravan.backup.schedule '{}' has no time left: no more backups", cron.cron());
            return null;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
        executor.schedule(this::backUp, delay, TimeUnit.MILLISECONDS);
        return next;
    }

    private void backUp() {
        try {
            DatabaseBackup.Written w = backup.backup(null);
            List<Path> removed = backup.prune(keep);
            LOG.info("Backup written: {} ({} bytes, {} ms){}", w.file(), w.bytes(), w.millis(),
                    removed.isEmpty() ? "" : "; removed the " + removed.size() + " oldest beyond " + keep);
        } catch (RuntimeException e) {
            LOG.error("Scheduled backup failed; the next one is at its time: {}", e.getMessage());
        } finally {
            if (!executor.isShutdown()) {
                scheduleNext();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
