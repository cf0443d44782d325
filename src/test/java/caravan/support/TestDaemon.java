package caravan.support;

import caravan.config.DbSettings;
import caravan.daemon.Daemon;
import caravan.daemon.DaemonOptions;
import caravan.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real daemon in a temporary folder: its own routes, config and H2 file database. Write route files, start,
 * stop, and read the database file directly (also after the daemon stopped).
 */
public final class TestDaemon implements AutoCloseable {

    private final Path home;
    private final Properties config = new Properties();
    private final Map<String, String> env = new HashMap<>();
    private Daemon daemon;
    private String jdbcUrl;
    private String jdbcUser = "sa";
    private Postgres ownDatabase;

    public TestDaemon(Path home) {
        this.home = home;
        try {
            Files.createDirectories(routes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.setProperty("caravan.jmx.port", "0");
        config.setProperty("caravan.metrics.port", "0");
        config.setProperty("caravan.shutdown-timeout", "10s");
        config.setProperty("caravan.retry.initial-delay", "100ms");
    }

    public Path home() {
        return home;
    }

    public Path routes() {
        return home.resolve("routes");
    }

    public Path data() {
        return home.resolve("data");
    }

    /** Turns the JMX connector on, on a free loopback port; returns the port. */
    public int withJmx() {
        int port = freePort();
        config.setProperty("caravan.jmx.port", Integer.toString(port));
        return port;
    }

    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestDaemon property(String key, String value) {
        config.setProperty(key, value);
        return this;
    }

    /** Runs this daemon on the given PostgreSQL database instead of the H2 file. */
    /**
     * {@code "h2"} (the default H2 file) or {@code "postgresql"}: a fresh PostgreSQL database of this daemon's own,
     * dropped on close. For tests parameterised over both databases.
     */
    public TestDaemon onDatabase(String database) {
        if (database.equals("postgresql")) {
            ownDatabase = Postgres.create();
            postgres(ownDatabase);
        } else if (!database.equals("h2")) {
            throw new IllegalArgumentException("Unknown test database " + database + ": h2 or postgresql");
        }
        return this;
    }

    public TestDaemon postgres(Postgres db) {
        jdbcUrl = db.url();
        jdbcUser = db.user();
        config.setProperty("caravan.db.url", jdbcUrl);
        config.setProperty("caravan.db.user", jdbcUser);
        return this;
    }

    /** The URL the daemon opens (see {@link Database#jdbcUrl}). */
    public String url() {
        return jdbcUrl != null ? jdbcUrl : Database.jdbcUrl(DbSettings.defaultUrl(data()));
    }

    public TestDaemon env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public TestDaemon route(String fileName, String yaml) {
        try {
            Files.writeString(routes().resolve(fileName), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Copies a route file shipped in the project's routes/ folder. */
    public TestDaemon shippedRoute(String fileName) {
        try {
            Files.copy(Path.of("routes", fileName), routes().resolve(Path.of(fileName).getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Daemon start() throws Exception {
        Path configFile = home.resolve("application.properties");
        try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            config.store(out, null);
        }
        daemon = Daemon.start(new DaemonOptions(routes(), configFile, data(), Map.of(), env));
        return daemon;
    }

    public Daemon daemon() {
        return daemon;
    }

    public void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (ownDatabase != null) {
                ownDatabase.close();
            }
        }
    }

    /** Triggers the job by hand and waits (up to {@code atMost}) for its run to end; returns the run's row. */
    public Map<String, Object> runToEnd(String jobId, java.time.Duration atMost) {
        String runId = daemon.jobs().trigger(jobId);
        return awaitRun(runId, atMost);
    }

    public Map<String, Object> runToEnd(String jobId) {
        return runToEnd(jobId, java.time.Duration.ofSeconds(30));
    }

    /** Waits for the run to end; returns its row. */
    public Map<String, Object> awaitRun(String runId, java.time.Duration atMost) {
        org.awaitility.Awaitility.await().atMost(atMost).pollInterval(java.time.Duration.ofMillis(20)).until(() ->
                count("select count(*) from job_run where run_id = ? and status <> 'running'", runId) == 1);
        return query("select * from job_run where run_id = ?", runId).get(0);
    }

    /** Rows of a query against the daemon's database (the H2 file by default), column names in lower case. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(url(), jdbcUser, "")) {
            var ps = c.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String sql, Object... params) {
        return ((Number) query(sql, params).get(0).values().iterator().next()).longValue();
    }

    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url(), jdbcUser, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
