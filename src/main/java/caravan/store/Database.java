package caravan.store;

import caravan.config.DbSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool and its schema, migrated with versioned migrations at every start. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(DbSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("caravan-db");
        config.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration", vendorLocation(settings))
                    .table("caravan_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("Cannot migrate the database at " + settings.safeUrl() + ": " + e.getMessage(), e);
        }
        return new Database(ds);
    }

    /** Tables whose SQL differs per database (Quartz's job store): {@code db/vendor/h2} or {@code db/vendor/postgresql}. */
    static String vendorLocation(DbSettings settings) {
        return "classpath:db/vendor/" + (settings.isPostgres() ? "postgresql" : "h2");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
