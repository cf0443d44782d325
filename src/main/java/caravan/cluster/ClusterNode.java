package caravan.cluster;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This daemon as a member of the cluster, as its {@link ClusterJobStore} sees it: which jobs it can run, and what to
 * do when Quartz finds another node failed. Quartz creates the job store by class name, so the store finds its node
 * through a registry key passed in the Quartz properties.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final Map<String, ClusterNode> REGISTRY = new ConcurrentHashMap<>();

    /** Told when another node is found failed, before Quartz recovers its triggers. */
    public interface FailureListener {
        void nodeFailed(String nodeId, Instant lastCheckin);
    }

    private final String key = "caravan-node-" + UUID.randomUUID();
    private final String nodeId;
    private volatile Predicate<JobKey> loadedJobs = job -> false;
    private volatile FailureListener failures = (node, at) -> { };
    private volatile ClusterJobStore store;

    public ClusterNode(String nodeId) {
        this.nodeId = nodeId;
        REGISTRY.put(key, this);
    }

    static ClusterNode registered(String key) {
        return key == null ? null : REGISTRY.get(key);
    }

    /** The registry key, for {@code org.quartz.jobStore.node}. */
    public String key() {
        return key;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Which jobs this node has routes for (until set: none). */
    public void runJobs(Predicate<JobKey> loadedJobs) {
        this.loadedJobs = loadedJobs;
    }

    public void onNodeFailure(FailureListener listener) {
        this.failures = listener;
    }

    void useStore(ClusterJobStore store) {
        this.store = store;
    }

    boolean runsHere(JobKey job) {
        return loadedJobs.test(job);
    }

    void nodeFailed(String failedNodeId, long lastCheckinMillis) {
        Instant lastCheckin = lastCheckinMillis > 0 ? Instant.ofEpochMilli(lastCheckinMillis) : null;
        if (lastCheckin == null) {
            LOG.info("Node {} left the cluster (or left fires behind): node {} cleans up after it", failedNodeId, nodeId);
        } else {
            LOG.warn("Node {} stopped checking in (last check-in {}): node {} takes over its schedules", failedNodeId,
                    lastCheckin, nodeId);
        }
        try {
            failures.nodeFailed(failedNodeId, lastCheckin);
        } catch (RuntimeException e) {
            LOG.error("Cannot clean up after failed node {}: {}", failedNodeId, e.getMessage(), e);
        }
    }

    /** Hands the triggers this node acquired but did not fire back to the others; call before a graceful stop. */
    public void handBackAcquiredTriggers() {
        ClusterJobStore s = store;
        if (s == null) {
            return;
        }
        try {
            int n = s.releaseTriggersAcquiredHere();
            if (n > 0) {
                LOG.info("Node {} handed {} acquired trigger(s) back to the cluster before stopping", nodeId, n);
            }
        } catch (JobPersistenceException e) {
            LOG.warn("Node {} could not hand its acquired triggers back ({}): the other nodes take them over once it "
                    + "is declared failed", nodeId, e.getMessage());
        }
    }

    @Override
    public void close() {
        REGISTRY.remove(key);
    }

}
