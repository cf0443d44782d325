package caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import caravan.jmx.Json;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import caravan.support.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operating a two-node cluster through either node's JMX: manual triggers, cancel, pause, and recovery of a dead
 * node's run.
 */
class ClusterControlIT extends TwoNodes {

    @RegisterExtension
    final FixtureServer hook = new FixtureServer();

    static final String JOBS = """
            - route:
                id: tick
                from:
                  uri: quartz:cluster/tick
                  parameters:
                    cron: "0/1 * * * * ?"
                  steps:
                    - log: "tick"
            - route:
                id: by-hand
                from:
                  uri: quartz:cluster/by-hand
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - log: "by hand"
            - route:
                id: wait
                from:
                  uri: quartz:cluster/wait
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                  steps:
                    - delay:
                        constant: 2000
            """;

    static final String WITH_CHAINED = JOBS + """
            - route:
                id: after-hand
                from:
                  uri: quartz:test/after-hand
                  parameters:
                    after: by-hand
                  steps:
                    - log: "after ${exchangeProperty.CaravanAfterRun}"
            """;

    static final String SLOW_RECOVERABLE = """
            - route:
                id: slow
                from:
                  uri: quartz:cluster/slow
                  parameters:
                    cron: "0 0 0 1 1 ? 2099"
                    recovery: true
                  steps:
                    - delay:
                        constant: 4000
                    - log: "slow done"
            """;

    @Test
    void a_manual_trigger_on_b_runs_once_and_a_pause_on_a_stops_the_job_on_b() {
        startBoth(JOBS, JOBS);

        String runId = b.jmx(jobs -> jobs.trigger("by-hand"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'succeeded'", runId) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                count("select count(*) from job_run where job_id = 'by-hand'") == 1);

        // a cancel is refused by the node that does not run the job, with the name of the one that does
        String waiting = a.jmx(jobs -> jobs.trigger("wait"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'running'", waiting) == 1);
        String runningOn = strings("select node_id from job_run where run_id = ?", waiting).get(0);
        NodeProcess running = runningOn.equals(a.nodeId()) ? a : b;
        assertThatThrownBy(() -> otherThan(running).jmx(jobs -> jobs.cancel("wait")))
                .hasStackTraceContaining("Run " + waiting + " of job wait is in progress on node " + runningOn + ", not on this one");
        assertThat(running.<String>jmx(jobs -> jobs.cancel("wait"))).isEqualTo(waiting);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where job_id = 'tick' and node_id = 'node-b'") > 0
                || count("select count(*) from job_run where job_id = 'tick'") > 3);
        a.jmx(jobs -> {
            jobs.pause("tick");
            return null;
        });
        Instant paused = Instant.now().plusMillis(500);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                count("select count(*) from job_run where job_id = 'tick' and started_at > ?", paused) == 0);
        assertThat(b.<String>jmx(jobs -> jobs.getJobs())).contains("\"paused\":true");

        b.jmx(jobs -> {
            jobs.resume("tick");
            return null;
        });
        Instant resumed = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                count("select count(*) from job_run where job_id = 'tick' and started_at > ?", resumed) > 0);
    }

    @Test
    void a_job_chained_after_another_runs_once_in_the_cluster_whichever_node_ran_the_one_before() {
        startBoth(WITH_CHAINED, WITH_CHAINED);

        String runId = b.jmx(jobs -> jobs.trigger("by-hand"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from job_run where job_id = 'after-hand'"
                + " and trigger_type = 'after' and after_run = ? and status = 'succeeded'", runId) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                count("select count(*) from job_run where job_id = 'after-hand'") == 1);
    }

    @Test
    void the_runs_after_an_end_that_a_killed_node_did_not_schedule_start_on_the_node_that_finds_it_dead() {
        startBoth(WITH_CHAINED, WITH_CHAINED);
        // As node A leaves the end of a run when it dies between committing it and scheduling the run after it
        Instant ended = Instant.now().minusSeconds(1);
        update("insert into job_run (run_id, job_id, trigger_type, scheduled_at, node_id, started_at, finished_at, status,"
                + " items_total, items_failed, items_changed, chain_pending) values ('lost-end', 'by-hand', 'manual', ?, ?, ?,"
                + " ?, 'succeeded', 0, 0, 0, true)", ended, a.nodeId(), ended, ended);
        a.kill();

        await().atMost(Duration.ofSeconds(25)).until(() -> count("select count(*) from job_run where job_id = 'after-hand'"
                + " and after_run = 'lost-end' and status = 'succeeded'") == 1);
        assertThat(strings("select node_id from job_run where after_run = 'lost-end'")).containsExactly(b.nodeId());
        await().atMost(Duration.ofSeconds(5)).until(() -> count("select count(*) from job_run where chain_pending") == 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                count("select count(*) from job_run where job_id = 'after-hand'") == 1);
    }

    @Test
    void a_retry_through_either_node_redoes_only_the_dead_letters_of_a_run() {
        java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        failing.add("/items/b");
        hook.on("/items/*", (n, ex) -> failing.contains(ex.getRequestURI().getPath()) ? Answer.status(404) : Answer.json("{}"));
        String job = """
                - route:
                    id: items
                    from:
                      uri: quartz:cluster/items
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                      steps:
                        - setBody:
                            constant: "a,b,c"
                        - split:
                            tokenize: ","
                            parallelProcessing: true
                            steps:
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "${body}"
                              - toD: "%s/items/${body}"
                              - to: caravan:store
                - route:
                    id: later
                    from:
                      uri: quartz:cluster/later
                      parameters:
                        cron: "0 0 0 1 1 ? 2099"
                        retryDeadLetters: 2s
                      steps:
                        - setBody:
                            constant: "x,y"
                        - split:
                            tokenize: ","
                            steps:
                              - setHeader:
                                  name: CaravanItemKey
                                  simple: "${body}"
                              - toD: "%s/later/${body}"
                              - to: caravan:store
                """.formatted(hook.baseUrl(), hook.baseUrl());
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        hook.on("/later/*", (n, ex) -> down.get() && ex.getRequestURI().getPath().endsWith("/y")
                ? Answer.status(503) : Answer.json("{}"));
        startBoth(job, job, Map.of("caravan.retry.max-attempts", "1"));

        String first = a.jmx(jobs -> jobs.trigger("items"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'partial'", first) == 1);
        failing.clear();
        int before = hook.requests().size();

        String retry = (String) Json.readRow(b.<String>jmx(jobs -> jobs.retry("items", null))).get("run_id");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'succeeded' and trigger_type = 'retry'"
                        + " and items_total = 1", retry) == 1);
        assertThat(strings("select item_key from result where run_id = ?", retry)).containsExactly("b");
        assertThat(hook.requests().subList(before, hook.requests().size()))
                .extracting(FixtureServer.Request::path).containsExactly("/items/b");

        // on its own: the job store holds the retry, and a node runs it once
        String partial = b.jmx(jobs -> jobs.trigger("later"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'partial'", partial) == 1);
        down.set(false);
        await().atMost(Duration.ofSeconds(15)).until(() -> count("select count(*) from job_run where retry_of = ?"
                + " and trigger_type = 'retry' and status = 'succeeded' and items_total = 1", partial) == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                count("select count(*) from job_run where job_id = 'later'") == 2);
    }

    @Test
    void the_run_of_a_killed_node_is_marked_interrupted_and_run_once_more_as_recovery_on_the_other() {
        hook.on("/hook", (n, ex) -> Answer.status(200));
        startBoth(SLOW_RECOVERABLE, SLOW_RECOVERABLE, Map.of("caravan.notify.url", hook.baseUrl() + "/hook"));

        String runId = a.jmx(jobs -> jobs.trigger("slow"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'running'", runId) == 1);
        String runningOn = strings("select node_id from job_run where run_id = ?", runId).get(0);
        NodeProcess dying = runningOn.equals(a.nodeId()) ? a : b;
        dying.kill();

        await().atMost(Duration.ofSeconds(25)).until(() ->
                count("select count(*) from job_run where run_id = ? and status = 'interrupted'", runId) == 1
                && count("select count(*) from job_run where job_id = 'slow' and trigger_type = 'recovery'"
                        + " and status = 'succeeded'") == 1);
        assertThat(strings("select error from job_run where run_id = ?", runId).get(0)).contains(dying.nodeId());
        assertThat(strings("select node_id from job_run where trigger_type = 'recovery'"))
                .containsExactly(otherThan(dying).nodeId());
        assertThat(count("select count(*) from job_run where job_id = 'slow' and scheduled_at ="
                + " (select scheduled_at from job_run where run_id = ?)", runId)).as("the recovery run stands for the same slot")
                .isEqualTo(2);
        await().during(Duration.ofSeconds(2)).until(() -> count("select count(*) from job_run where job_id = 'slow'") == 2);
        // the node that found the dead one tells the webhook; the recovery run succeeded, which is not told
        await().atMost(Duration.ofSeconds(5)).until(() -> hook.count("/hook") >= 1);
        assertThat(hook.requestsTo("/hook")).singleElement().satisfies(r ->
                assertThat(Json.readRow(new String(r.body(), StandardCharsets.UTF_8)))
                        .containsEntry("run_id", runId).containsEntry("status", "interrupted")
                        .containsEntry("node_id", dying.nodeId()));
    }
}
