package caravan.cluster;

import static org.awaitility.Awaitility.await;

import caravan.support.NodeProcess;
import caravan.support.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Two node processes, A and B, on a fresh PostgreSQL database per test, and queries on that database. */
abstract class TwoNodes {

    @TempDir
    Path home;

    Postgres db;
    NodeProcess a;
    NodeProcess b;

    @BeforeEach
    void database() {
        db = Postgres.create();
    }

    @AfterEach
    void cleanUp() {
        for (NodeProcess n : new NodeProcess[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    void startBoth(String routesOfA, String routesOfB) {
        startBoth(routesOfA, routesOfB, java.util.Map.of());
    }

    /** {@code properties}: settings both nodes get. */
    void startBoth(String routesOfA, String routesOfB, java.util.Map<String, String> properties) {
        a = new NodeProcess("node-a", home.resolve("a"), db).route("jobs.yaml", routesOfA);
        b = new NodeProcess("node-b", home.resolve("b"), db).route("jobs.yaml", routesOfB);
        properties.forEach((k, v) -> {
            a.property(k, v);
            b.property(k, v);
        });
        a.start();
        b.start();
        a.awaitStarted();
        b.awaitStarted();
    }

    /** The node that ran the job's latest run. */
    NodeProcess lastFiringNode(String jobId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from job_run where job_id = ?", jobId) > 0);
        String node = strings("select node_id from job_run where job_id = ? order by started_at desc limit 1", jobId).get(0);
        return node.equals(a.nodeId()) ? a : b;
    }

    NodeProcess otherThan(NodeProcess node) {
        return node == a ? b : a;
    }

    // --- reading the shared database

    long count(String sql, Object... params) {
        return ((Number) rows(sql, params).get(0)).longValue();
    }

    List<String> strings(String sql, Object... params) {
        return rows(sql, params).stream().map(Object::toString).toList();
    }

    List<Instant> instants(String sql, Object... params) {
        return rows(sql, params).stream().map(o -> o instanceof OffsetDateTime t ? t.toInstant()
                : ((java.sql.Timestamp) o).toInstant()).toList();
    }

    /** Writes to the shared database as a node would. */
    void update(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), "")) {
            prepare(c, sql, params).executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.sql.PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        var ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i] instanceof Instant t ? t.atOffset(java.time.ZoneOffset.UTC) : params[i]);
        }
        return ps;
    }

    private List<Object> rows(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), "")) {
            var ps = prepare(c, sql, params);
            List<Object> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object v = rs.getObject(1);
                    out.add(v instanceof java.sql.Timestamp ? rs.getObject(1, OffsetDateTime.class) : v);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
