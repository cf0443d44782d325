package caravan.store;

import caravan.config.DbSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * An online backup of the embedded H2 database to a zip file in the backup folder ({@code caravan.backup.dir}),
 * while the daemon runs: H2's {@code BACKUP TO} copies a transactionally consistent state without stopping writers.
 * The zip is written under a temporary name and moved into place, so a file with the final name is always whole.
 * Only a plain file name is taken, never a path: an operator's JMX call cannot write elsewhere on the host.
 */
public final class DatabaseBackup {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** The names of the zips this class names itself, which {@link #prune} may delete; named ones it never does. */
    private static final Pattern STAMPED = Pattern.compile("caravan-\\d{8}-\\d{6}\\.zip");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What a backup wrote. */
    public record Written(Path file, long bytes, long millis) {
    }

    private final DataSource dataSource;
    private final DbSettings db;
    private final Path dir;
    private final Clock clock;

    public DatabaseBackup(DataSource dataSource, DbSettings db, Path dir, Clock clock) {
        this.dataSource = dataSource;
        this.db = db;
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Backs the database up to {@code name} in the backup folder ({@code .zip} added when missing); null or blank:
     * {@code caravan-YYYYMMDD-HHMMSS.zip} (UTC). Refuses a name that is a path or that exists already, and a
     * PostgreSQL database, which has its own tools. One at a time: a second caller waits for the first.
     */
    public synchronized Written backup(String name) {
        if (db.isPostgres()) {
            throw new IllegalStateException("The database is PostgreSQL (" + db.safeUrl() + "): back it up with its own"
                    + " tools, e.g. 'pg_dump -Fc -f caravan.dump DBNAME'; caravan backup covers the embedded H2 database");
        }
        if (!db.url().startsWith("jdbc:h2:")) {
            throw new IllegalStateException("Cannot back up " + db.safeUrl() + ": caravan backup covers H2 databases only");
        }
        Instant started = clock.instant();
        String file = fileName(name, started);
        Path target = dir.resolve(file);
        if (Files.exists(target)) {
            throw new IllegalArgumentException("Backup " + target + " exists already: choose another name, or move it away");
        }
        Path partial = dir.resolve(file + ".partial");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(partial);
            new Jdbc(dataSource).update("backup to '" + partial.toString().replace("'", "''") + "'");
            move(partial, target);
            return new Written(target, Files.size(target), clock.millis() - started.toEpochMilli());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the backup to " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the next backup of that name deletes it first
            }
        }
    }

    /**
     * Deletes the oldest time-stamped zips ({@code caravan-YYYYMMDD-HHMMSS.zip}) beyond the newest {@code keep};
     * zips with a name of their own stay. Returns the files deleted.
     */
    public List<Path> prune(int keep) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> stamped = files.filter(f -> STAMPED.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).toList();
            List<Path> old = stamped.subList(Math.min(keep, stamped.size()), stamped.size());
            for (Path f : old) {
                Files.deleteIfExists(f);
            }
            return old;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove old backups in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String fileName(String name, Instant at) {
        if (name == null || name.isBlank()) {
            return "caravan-" + STAMP.format(at) + ".zip";
        }
        String n = name.strip();
        if (!NAME.matcher(n).matches() || n.contains("..")) {
            throw new IllegalArgumentException("Backup name '" + name + "' is not a plain file name: use letters, digits,"
                    + " '.', '_' and '-' (the file goes to the backup folder, caravan.backup.dir)");
        }
        return n.endsWith(".zip") ? n : n + ".zip";
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
