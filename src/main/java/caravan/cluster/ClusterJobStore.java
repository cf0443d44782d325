package caravan.cluster;

import caravan.scheduling.OnTimeJobStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.quartz.JobPersistenceException;
import org.quartz.SchedulerConfigException;
import org.quartz.impl.jdbcjobstore.FiredTriggerRecord;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.SchedulerSignaler;

/**
 * Quartz's clustered JDBC job store with three changes for fast, exact failover; everything else (locks, check-ins,
 * recovery of a failed node's triggers) is Quartz's own.
 * <ul>
 * <li>A silent node is declared failed after its check-in interval plus {@code failureGrace} (Quartz hard-codes
 * 7.5 s of grace, which alone costs more than the failover budget).</li>
 * <li>Before Quartz recovers a failed node, the {@link ClusterNode} is told which node failed, so its runs are
 * marked interrupted and its job claims released.</li>
 * <li>A trigger of a job that no route on this node defines is handed straight back when acquired, so it fires on
 * a node that has the job instead of being consumed here.</li>
 * </ul>
 * {@link #releaseTriggersAcquiredHere()} hands back this node's acquired triggers at a graceful stop (Quartz's
 * own shutdown keeps them until the node is declared failed), and {@link #shutdown()} signs the node off.
 */
public class ClusterJobStore extends OnTimeJobStore {

    private long failureGrace = 7500L;
    private String node;

    /** {@code org.quartz.jobStore.failureGrace}: milliseconds past its check-in interval before a node counts as failed. */
    public void setFailureGrace(long failureGrace) {
        this.failureGrace = failureGrace;
    }

    /** {@code org.quartz.jobStore.node}: the key under which the {@link ClusterNode} of this daemon is registered. */
    public void setNode(String node) {
        this.node = node;
    }

    private ClusterNode node() {
        return ClusterNode.registered(node);
    }

    @Override
    public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler signaler) throws SchedulerConfigException {
        super.initialize(loadHelper, signaler);
        if (node() == null) {
            throw new SchedulerConfigException("No Caravan cluster node is registered as '" + node + "'");
        }
        node().useStore(this);
    }

    @Override
    protected long calcFailedIfAfter(SchedulerStateRecord rec) {
        return rec.getCheckinTimestamp() + Math.max(rec.getCheckinInterval(), System.currentTimeMillis() - lastCheckin)
                + failureGrace;
    }

    @Override
    protected void clusterRecover(Connection conn, List<SchedulerStateRecord> failedInstances) throws JobPersistenceException {
        for (SchedulerStateRecord failed : failedInstances) {
            if (!failed.getSchedulerInstanceId().equals(getInstanceId())) {
                node().nodeFailed(failed.getSchedulerInstanceId(), failed.getCheckinTimestamp());
            }
        }
        super.clusterRecover(conn, failedInstances);
    }

    @Override
    public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
            throws JobPersistenceException {
        List<OperableTrigger> acquired = super.acquireNextTriggers(noLaterThan, maxCount, timeWindow);
        List<OperableTrigger> runnableHere = new ArrayList<>(acquired.size());
        for (OperableTrigger trigger : acquired) {
            if (node().runsHere(trigger.getJobKey())) {
                runnableHere.add(trigger);
            } else {
                getLog().debug("Trigger {} handed back: job {} is not loaded on this node", trigger.getKey(), trigger.getJobKey());
                releaseAcquiredTrigger(trigger);
            }
        }
        return runnableHere;
    }

    /**
     * After Quartz's own shutdown: this node's check-in is set to "never", so the other nodes clean up after it at
     * their next check-in instead of after the failure grace, and a restart of this node need not wait for it.
     */
    @Override
    public void shutdown() {
        super.shutdown();
        try {
            executeInNonManagedTXLock(LOCK_STATE_ACCESS, conn -> {
                try {
                    return getDelegate().updateSchedulerState(conn, getInstanceId(), 0L);
                } catch (SQLException e) {
                    throw new JobPersistenceException(e.getMessage(), e);
                }
            }, null);
        } catch (JobPersistenceException | RuntimeException e) {
            getLog().warn("Node {} could not sign off: the other nodes clean up after it once it counts as failed ({})",
                    getInstanceId(), e.getMessage());
        }
    }

    /** Hands every trigger this node acquired but has not fired back to the cluster; returns how many. */
    public int releaseTriggersAcquiredHere() throws JobPersistenceException {
        return executeInNonManagedTXLock(LOCK_TRIGGER_ACCESS, conn -> {
            try {
                int released = 0;
                for (FiredTriggerRecord fired : getDelegate().selectInstancesFiredTriggerRecords(conn, getInstanceId())) {
                    if (STATE_ACQUIRED.equals(fired.getFireInstanceState())) {
                        getDelegate().updateTriggerStateFromOtherState(conn, fired.getTriggerKey(), STATE_WAITING, STATE_ACQUIRED);
                        getDelegate().deleteFiredTrigger(conn, fired.getFireInstanceId());
                        released++;
                    }
                }
                return released;
            } catch (SQLException e) {
                throw new JobPersistenceException("Cannot hand back acquired triggers: " + e.getMessage(), e);
            }
        }, null);
    }
}
