package caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon processes on one PostgreSQL database (a fresh one per test): each scheduled fire runs on exactly one
 * node, and when the firing node dies or stops the other carries on within the failover budget.
 */
class ClusterFailoverIT {

    static final String TICK = """
            - route:
                id: tick
                from:
                  uri: quartz:cluster/tick
                  parameters:
                    cron: "0/1 * * * * ?"
                  steps:
                    - log: "tick ${header.CaravanFireTime}"
            """;

    static final String ONLY_ON_A = """
            - route:
                id: only-on-a
                from:
                  uri: quartz:cluster/only-on-a
                  parameters:
                    cron: "0/1 * * * * ?"
                  steps:
                    - log: "only on a ${header.CaravanFireTime}"
            """;

    @TempDir
    Path home;

    private Postgres db;
    private NodeProcess a;
    private NodeProcess b;

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

    private void startBoth(String routeA, String routeB) {
        a = new NodeProcess("node-a", home.resolve("a"), db).route("jobs.yaml", routeA).start();
        b = new NodeProcess("node-b", home.resolve("b"), db).route("jobs.yaml", routeB).start();
        a.awaitStarted();
        b.awaitStarted();
    }

    @Test
    void two_nodes_run_each_tick_once_and_after_sigkill_of_the_firing_node_the_other_resumes_within_10_s() throws Exception {
        startBoth(TICK + ONLY_ON_A, TICK);
        Instant from = Instant.now().plusSeconds(1);
        Thread.sleep(15_000); // the observation window itself: fifteen one-second ticks
        Instant to = Instant.now().minusSeconds(1);

        List<Instant> ticks = instants("select scheduled_at from job_run where job_id = 'tick' and trigger_type = 'schedule'"
                + " and scheduled_at >= ? and scheduled_at <= ? order by scheduled_at", from, to);
        assertThat(ticks).as("one run per second, no fire time doubled").doesNotHaveDuplicates();
        assertThat(ticks.size()).as("runs in %s..%s: %s", from, to, ticks).isGreaterThanOrEqualTo(
                (int) Duration.between(from, to).toSeconds() - 1);
        assertThat(count("select count(*) from job_run where job_id = 'tick' and status <> 'succeeded'"
                + " and status <> 'running'")).isZero();
        List<Instant> onlyA = instants("select scheduled_at from job_run where job_id = 'only-on-a' and scheduled_at >= ?"
                + " and scheduled_at <= ? order by scheduled_at", from, to);
        assertThat(onlyA).as("a job only node A has never misfires on node B").doesNotHaveDuplicates()
                .hasSizeGreaterThanOrEqualTo(ticks.size() - 1);
        assertThat(count("select count(*) from job_run where job_id = 'only-on-a' and node_id <> 'node-a'")).isZero();

        NodeProcess firing = lastFiringNode().equals("node-a") ? a : b;
        NodeProcess other = firing == a ? b : a;
        Instant killed = firing.kill();
        Instant resumed = awaitRunOn(other, killed, Duration.ofSeconds(20));
        assertThat(Duration.between(killed, resumed)).as("failover after SIGKILL of %s", firing.nodeId())
                .isLessThan(Duration.ofSeconds(10));
        assertThat(other.logText()).contains("Node " + firing.nodeId() + " stopped checking in");
        assertThat(count("select count(*) - count(distinct scheduled_at) from job_run where job_id = 'tick'"
                + " and status <> 'skipped'")).as("no fire time run twice").isZero();
    }

    @Test
    void after_a_graceful_stop_of_the_firing_node_the_other_resumes_within_3_s() throws Exception {
        startBoth(TICK, TICK);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from job_run where job_id = 'tick'") >= 3);
        NodeProcess firing = lastFiringNode().equals("node-a") ? a : b;
        NodeProcess other = firing == a ? b : a;
        Instant stopped = firing.stop();
        Instant resumed = awaitRunOn(other, stopped, Duration.ofSeconds(15));
        firing.waitFor();
        assertThat(Duration.between(stopped, resumed)).as("failover after SIGTERM of %s", firing.nodeId())
                .isLessThan(Duration.ofSeconds(3));
        assertThat(firing.logText()).contains("Node " + firing.nodeId() + " left the cluster");
        assertThat(count("select count(*) - count(distinct scheduled_at) from job_run where job_id = 'tick'"
                + " and status <> 'skipped'")).as("no fire time run twice").isZero();
    }

    private String lastFiringNode() {
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from job_run where job_id = 'tick'") > 0);
        return strings("select node_id from job_run where job_id = 'tick' order by started_at desc limit 1").get(0);
    }

    /** When the first tick run on {@code node} started after {@code after}. */
    private Instant awaitRunOn(NodeProcess node, Instant after, Duration atMost) {
        await("a tick run on " + node.nodeId()).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() ->
                count("select count(*) from job_run where job_id = 'tick' and node_id = ? and status <> 'skipped'"
                        + " and started_at > ?", node.nodeId(), after) > 0);
        return instants("select min(started_at) from job_run where job_id = 'tick' and node_id = ? and status <> 'skipped'"
                + " and started_at > ?", node.nodeId(), after).get(0);
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

    private List<Object> rows(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), "")) {
            var ps = c.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i] instanceof Instant t ? t.atOffset(java.time.ZoneOffset.UTC) : params[i]);
            }
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
