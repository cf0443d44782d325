package caravan.store;

import caravan.config.DbSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool and its schema, migrated with versioned migrations at every start. */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int MIGRATION_ATTEMPTS = 5;

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(DbSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(settings.url()));
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("caravan-db");
        config.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrate(ds, settings);
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("Cannot migrate the database at " + settings.safeUrl() + ": " + e.getMessage(), e);
        }
        return new Database(ds);
    }

    /**
     * Versioned migrations. Nodes of a cluster started together on a new database race to create the history
     * table, and the loser sees it half made: it tries again once the winner's migration is done.
     */
    private static void migrate(DataSource ds, DbSettings settings) {
        Flyway flyway = Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration", vendorLocation(settings))
                .table("caravan_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (FlywayException e) {
                if (attempt == MIGRATION_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Migration attempt {} failed ({}); another node may be migrating the same database, trying again",
                        attempt, e.getMessage().lines().findFirst().orElse(""));
                sleepQuietly(attempt * 1000L);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to migrate the database", e);
        }
    }

    /** Tables whose SQL differs per database (Quartz's job store): {@code db/vendor/h2} or {@code db/vendor/postgresql}. */
    static String vendorLocation(DbSettings settings) {
        return "classpath:db/vendor/" + (settings.isPostgres() ? "postgresql" : "h2");
    }

    private static final String FILE_URL = "jdbc:h2:file:";

    /**
     * Two H2 defaults that do not suit a daemon. H2 closes an embedded database from its own JVM shutdown hook, racing
     * the daemon's graceful stop, which still has runs to record: the daemon closes the pool itself. And H2 writes
     * committed transactions to its file up to a second later ({@code WRITE_DELAY}), so a daemon killed in that
     * second (SIGKILL, the OOM killer, a crash) loses results and run ends it had already counted: every commit is
     * written at once. Either can be set otherwise in {@code caravan.db.url}. And a thread interrupted while H2 writes
     * (Quartz's and Camel's shutdown interrupt theirs) would close H2's file channel under every other connection:
     * a file database goes through H2's {@code retry:} file system, which reopens the channel instead.
     * This is the URL to open the daemon's database with from the same JVM: H2 takes another spelling of the file for
     * a second database, and then fails on the file's lock.
     */
    public static String jdbcUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        StringBuilder h2 = new StringBuilder(url);
        String path = url.startsWith(FILE_URL) ? url.substring(FILE_URL.length()) : "";
        if (path.startsWith("/") || path.startsWith(".") || path.startsWith("~")) {
            h2.insert(FILE_URL.length(), "retry:");
        }
        if (!upper.contains("DB_CLOSE_ON_EXIT")) {
            h2.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        if (!upper.contains("WRITE_DELAY") && !upper.startsWith("JDBC:H2:MEM:")) {
            h2.append(";WRITE_DELAY=0");
        }
        return h2.toString();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
