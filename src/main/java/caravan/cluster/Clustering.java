package caravan.cluster;

import caravan.config.ClusterSettings;
import caravan.runs.JobRun;
import caravan.runs.RunListener;
import caravan.runs.RunRepository;
import caravan.store.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What cluster mode adds to the daemon's start and stop: a clock check and a node-id check before Quartz starts,
 * the {@link ClusterNode} the job store reports to, marking a failed node's runs interrupted, and handing acquired
 * triggers back before a graceful stop. Stuck-trigger repair runs in both modes. Off, it does nothing else.
 */
public final class Clustering implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);

    private final ClusterSettings settings;
    private final ClusterNode node;
    private final DataSource dataSource;
    private final Clock clock;
    private ExecutorService afterFailures;
    private volatile BiConsumer<String, Instant> leftBehind = (node, at) -> { };

    private Clustering(ClusterSettings settings, ClusterNode node, DataSource dataSource, Clock clock) {
        this.settings = settings;
        this.node = node;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Checks this node against the database; in cluster mode refuses a node id that a live node uses. */
    public static Clustering prepare(ClusterSettings settings, DataSource dataSource, Clock clock) throws InterruptedException {
        if (!settings.enabled()) {
            return new Clustering(settings, null, dataSource, clock);
        }
        new ClockCheck(dataSource, clock).warnIfOff(settings.nodeId());
        awaitNodeIdFree(settings, dataSource, clock);
        return new Clustering(settings, new ClusterNode(settings.nodeId()), dataSource, clock);
    }

    /** A node id whose last check-in is recent belongs to a live node, or to this node's previous process just killed. */
    private static void awaitNodeIdFree(ClusterSettings settings, DataSource dataSource, Clock clock) throws InterruptedException {
        Jdbc jdbc = new Jdbc(dataSource);
        Instant deadline = clock.instant().plus(settings.failoverAfter()).plus(settings.checkinInterval());
        boolean logged = false;
        while (true) {
            Long last = jdbc.queryOne("select max(LAST_CHECKIN_TIME) from QRTZ_SCHEDULER_STATE where INSTANCE_NAME = ?",
                    rs -> rs.getObject(1) == null ? null : rs.getLong(1), settings.nodeId());
            long age = last == null ? Long.MAX_VALUE : clock.millis() - last;
            if (age > settings.failoverAfter().toMillis()) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("Node id '" + settings.nodeId() + "' is in use: a node with that id checked in "
                        + age + " ms ago. Give each node its own caravan.cluster.node-id (default: the host name)");
            }
            if (!logged) {
                LOG.info("Node id {} checked in {} ms ago (a previous process?): waiting until it counts as stopped",
                        settings.nodeId(), age);
                logged = true;
            }
            Thread.sleep(Math.min(500, settings.checkinInterval().toMillis()));
        }
    }

    /** The node the clustered job store reports to; null when cluster mode is off. */
    public ClusterNode node() {
        return node;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /**
     * Once Camel runs: which jobs this node can run, and what a failed node leaves behind; {@code interrupted} is
     * told of each run of a failed node marked interrupted here.
     */
    public void attach(Predicate<JobKey> loadedJobs, RunRepository runs, RunListener interrupted) {
        if (node == null) {
            return;
        }
        node.runJobs(loadedJobs);
        afterFailures = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "caravan-node-failures");
            t.setDaemon(true);
            return t;
        });
        node.onNodeFailure((failed, lastCheckin) -> {
            Instant found = clock.instant();
            List<JobRun> cut = runs.interruptRunning(failed, "node " + failed + " stopped answering during the run (found by node "
                    + settings.nodeId() + ")", found);
            if (!cut.isEmpty()) {
                LOG.warn("{} run(s) of failed node {} marked interrupted; jobs with recovery: true run again", cut.size(), failed);
            }
            cut.forEach(interrupted::runEnded);
            // Told inside the job store's recovery, which holds its trigger lock: scheduling has to wait for it to end.
            afterFailures.execute(() -> {
                try {
                    leftBehind.accept(failed, found);
                } catch (RuntimeException e) {
                    LOG.error("Cannot take over what failed node {} left to do: {}", failed, e.getMessage(), e);
                }
            });
        });
    }

    /** {@code work}: what this node takes over from a failed one, after the job store recovered it (in cluster mode). */
    public void afterNodeFailure(BiConsumer<String, Instant> work) {
        this.leftBehind = work;
    }

    /** In cluster mode: whether the job has a run in progress on another node (the no-overlap rule asks); else never. */
    public Predicate<String> runningElsewhere() {
        if (node == null) {
            return jobId -> false;
        }
        Jdbc jdbc = new Jdbc(dataSource);
        return jobId -> jdbc.queryOne("select count(*) from job_run where job_id = ? and status = 'running' and node_id <> ?",
                rs -> rs.getLong(1), jobId, settings.nodeId()) > 0;
    }

    /** Repairs triggers a crash left in ERROR or BLOCKED (both modes). */
    public void repairStuckTriggers(Scheduler scheduler) {
        new StuckTriggers(scheduler, dataSource).repair();
    }

    /**
     * Before a graceful stop: no new fires here, and the triggers this node acquired for its next fires go back to
     * the cluster at once, so another node fires them on time (Quartz's shutdown keeps them).
     */
    public void leave(Scheduler scheduler) {
        if (node == null || scheduler == null) {
            return;
        }
        try {
            if (!scheduler.isShutdown()) {
                scheduler.standby();
            }
        } catch (SchedulerException e) {
            LOG.warn("Cannot put the scheduler in standby: {}", e.getMessage());
        }
        node.handBackAcquiredTriggers();
        LOG.info("Node {} left the cluster: its schedules fire on the other nodes", settings.nodeId());
    }

    /** How long the others take to notice that this node died (for the start-up line). */
    public Duration failoverAfter() {
        return settings.failoverAfter();
    }

    @Override
    public void close() {
        if (afterFailures != null) {
            afterFailures.shutdownNow();
        }
        if (node != null) {
            node.close();
        }
    }
}
