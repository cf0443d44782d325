package caravan.config;

import caravan.scheduling.CronFires;
import java.nio.file.Path;
import java.time.ZoneOffset;

/**
 * Backups of the embedded H2 database: where they go ({@code caravan.backup.dir}), and the daemon's own schedule
 * ({@code caravan.backup.schedule}, a Quartz cron; none by default) keeping the newest {@code caravan.backup.keep}
 * time-stamped ones.
 */
public record BackupSettings(Path dir, String schedule, int keep) {

    public static final String DIR_KEY = "caravan.backup.dir";
    public static final String SCHEDULE_KEY = "caravan.backup.schedule";
    public static final String KEEP_KEY = "caravan.backup.keep";
    public static final int DEFAULT_KEEP = 7;

    public static BackupSettings from(CaravanProperties p, Path dataDir, DbSettings db) {
        String dir = p.get(DIR_KEY, "");
        String schedule = p.get(SCHEDULE_KEY, "").strip();
        int keep = p.getInt(KEEP_KEY, DEFAULT_KEEP);
        if (keep < 1) {
            throw new IllegalArgumentException(KEEP_KEY + "=" + keep + " must be 1 or more: the scheduled backups kept");
        }
        if (!schedule.isEmpty()) {
            try {
                CronFires.of(schedule, ZoneOffset.UTC);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(SCHEDULE_KEY + ": " + e.getMessage() + ", e.g. '0 0 2 * * ?' for 02:00 every day");
            }
            if (db.isPostgres()) {
                throw new IllegalArgumentException(SCHEDULE_KEY + " is set, but the database is PostgreSQL, which Caravan"
                        + " does not back up: remove the setting and back it up with pg_dump");
            }
        }
        return new BackupSettings(dir.isBlank() ? dataDir.resolve("backups") : Path.of(dir),
                schedule.isEmpty() ? null : schedule, keep);
    }

    public boolean scheduled() {
        return schedule != null;
    }
}
