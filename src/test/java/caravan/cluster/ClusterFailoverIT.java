package caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.NodeProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two daemon processes on one PostgreSQL database (a fresh one per test): each scheduled fire runs on exactly one
 * node, and when the firing node dies or stops the other carries on within the failover budget.
 */
class ClusterFailoverIT extends TwoNodes {

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

    @Test
    void two_nodes_run_each_tick_once_and_after_sigkill_of_the_firing_node_the_other_resumes_within_10_s() throws Exception {
        startBoth(TICK + ONLY_ON_A, TICK);
        Instant from = Instant.now().plusSeconds(1);
        await("both nodes up for fifteen one-second ticks").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16))
                .until(() -> a.isAlive() && b.isAlive());
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

        NodeProcess firing = lastFiringNode("tick");
        NodeProcess other = otherThan(firing);
        Instant killed = firing.kill();
        Instant resumed = awaitRunOn(other, killed, Duration.ofSeconds(20));
        System.out.println("Failover after SIGKILL of " + firing.nodeId() + ": " + Duration.between(killed, resumed).toMillis() + " ms");
        assertThat(Duration.between(killed, resumed)).as("failover after SIGKILL of %s", firing.nodeId())
                .isLessThan(Duration.ofSeconds(10));
        // Both nodes take turns firing, so the other may run a tick before it has declared the killed one failed.
        await("the other node declares " + firing.nodeId() + " failed").atMost(Duration.ofSeconds(10))
                .until(() -> other.logText().contains("Node " + firing.nodeId() + " stopped checking in"));
        assertThat(count("select count(*) - count(distinct scheduled_at) from job_run where job_id = 'tick'"
                + " and status <> 'skipped'")).as("no fire time run twice").isZero();
    }

    @Test
    void after_a_graceful_stop_of_the_firing_node_the_other_resumes_within_3_s() throws Exception {
        startBoth(TICK, TICK);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from job_run where job_id = 'tick'") >= 3);
        NodeProcess firing = lastFiringNode("tick");
        NodeProcess other = otherThan(firing);
        Instant stopped = firing.stop();
        Instant resumed = awaitRunOn(other, stopped, Duration.ofSeconds(15));
        firing.waitFor();
        System.out.println("Failover after SIGTERM of " + firing.nodeId() + ": " + Duration.between(stopped, resumed).toMillis() + " ms");
        assertThat(Duration.between(stopped, resumed)).as("failover after SIGTERM of %s", firing.nodeId())
                .isLessThan(Duration.ofSeconds(3));
        assertThat(firing.logText()).contains("Node " + firing.nodeId() + " left the cluster");
        assertThat(count("select count(*) - count(distinct scheduled_at) from job_run where job_id = 'tick'"
                + " and status <> 'skipped'")).as("no fire time run twice").isZero();
    }

    /** When the first tick run on {@code node} started after {@code after}. */
    private Instant awaitRunOn(NodeProcess node, Instant after, Duration atMost) {
        await("a tick run on " + node.nodeId()).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() ->
                count("select count(*) from job_run where job_id = 'tick' and node_id = ? and status <> 'skipped'"
                        + " and started_at > ?", node.nodeId(), after) > 0);
        return instants("select min(started_at) from job_run where job_id = 'tick' and node_id = ? and status <> 'skipped'"
                + " and started_at > ?", node.nodeId(), after).get(0);
    }
}
