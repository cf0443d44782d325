package caravan.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database per test on 127.0.0.1:5432 (trust auth), dropped afterwards, so runs never collide.
 * Without a server the test is skipped, saying why; with {@code CARAVAN_TEST_POSTGRES=required} (CI) it fails.
 */
public final class Postgres implements AutoCloseable {

    public static final String ADMIN_URL = System.getProperty("caravan.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("caravan.test.postgres.user", "postgres");

    private final String name;

    private Postgres(String name) {
        this.name = name;
    }

    /** Creates the database, or skips (or fails in CI) when PostgreSQL cannot be reached. */
    public static Postgres create() {
        String name = "caravan_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            String why = "PostgreSQL is not reachable at " + ADMIN_URL + " as " + USER + " (" + e.getMessage() + ")";
            if ("required".equals(System.getenv("CARAVAN_TEST_POSTGRES"))) {
                throw new IllegalStateException(why + ": CARAVAN_TEST_POSTGRES=required, so this test fails instead of skipping", e);
            }
            Assumptions.abort(why + ": PostgreSQL tests skipped");
        }
        return new Postgres(name);
    }

    public String url() {
        return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    public String user() {
        return USER;
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
