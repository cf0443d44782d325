package caravan.scheduling;

import caravan.cluster.ClusterJobStore;
import caravan.cluster.ClusterNode;
import caravan.config.ClusterSettings;
import caravan.config.ScheduleSettings;
import caravan.config.SchedulerSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The Quartz scheduler behind every job: its thread pool and its JDBC job store (JobStoreTX) on Caravan's own
 * database, so triggers and their state survive a restart. The tables come from Caravan's versioned migrations.
 */
public final class QuartzSetup {

    private QuartzSetup() {
    }

    public static JobQuartzComponent component(SchedulerSettings scheduler, ScheduleSettings schedule, DataSource dataSource,
            boolean postgres) {
        return component(scheduler, schedule, dataSource, postgres, null, null);
    }

    /**
     * With {@code cluster} enabled: Quartz's clustered store ({@link ClusterJobStore}), every node under the same
     * scheduler name and with its node id as instance id, checking in and looking for due fires often enough for
     * fast failover, acquiring triggers under the database lock.
     */
    public static JobQuartzComponent component(SchedulerSettings scheduler, ScheduleSettings schedule, DataSource dataSource,
            boolean postgres, ClusterSettings cluster, ClusterNode node) {
        String dataSourceName = "caravan-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnections(dataSource));
        Properties p = common(scheduler, schedule);
        p.setProperty("org.quartz.jobStore.class", OnTimeJobStore.class.getName());
        p.setProperty("org.quartz.jobStore.fireAhead", Long.toString(scheduler.fireAhead().toMillis()));
        p.setProperty("org.quartz.jobStore.driverDelegateClass", postgres
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "false");
        if (cluster != null && cluster.enabled()) {
            p.setProperty("org.quartz.jobStore.class", ClusterJobStore.class.getName());
            p.setProperty("org.quartz.jobStore.isClustered", "true");
            p.setProperty("org.quartz.jobStore.node", node.key());
            p.setProperty("org.quartz.scheduler.instanceId", cluster.nodeId());
            p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(cluster.checkinInterval().toMillis()));
            p.setProperty("org.quartz.jobStore.failureGrace", Long.toString(cluster.failureGrace().toMillis()));
            p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(cluster.idleWait().toMillis()));
        }
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true"); // required by batch acquisition
        JobQuartzComponent quartz = configure(new JobQuartzComponent(schedule), p);
        if (cluster != null && cluster.enabled()) {
            quartz.setLateFire(cluster.lateFire());
        }
        return quartz;
    }

    /** A scheduler that never starts, in memory: for offline validation of route files. */
    public static JobQuartzComponent forValidation(SchedulerSettings scheduler, ScheduleSettings schedule) {
        Properties p = common(scheduler, schedule);
        p.setProperty("org.quartz.scheduler.instanceName", "CaravanValidate-" + UUID.randomUUID());
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        JobQuartzComponent quartz = configure(new JobQuartzComponent(schedule), p);
        quartz.setAutoStartScheduler(false);
        return quartz;
    }

    private static Properties common(SchedulerSettings scheduler, ScheduleSettings schedule) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "Caravan");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", JobThreads.class.getName());
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(scheduler.threads()));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "caravan-job");
        p.setProperty("org.quartz.threadPool.virtual", Boolean.toString(scheduler.virtualThreads()));
        // camel-quartz's job reads everything from its context: no bean properties to set by reflection on each fire
        p.setProperty("org.quartz.scheduler.jobFactory.class", "org.quartz.simpl.SimpleJobFactory");
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(schedule.misfireThreshold().toMillis()));
        // Many jobs due in the same second are acquired in one store transaction, not one each: the fires that
        // share a second start together instead of queueing behind each other's database round trips.
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(scheduler.threads()));
        return p;
    }

    private static <T extends QuartzComponent> T configure(T quartz, Properties p) {
        quartz.setProperties(p);
        // A stop must not wait forever on a run that outlives the shutdown timeout: the run is marked interrupted.
        quartz.setInterruptJobsOnShutdown(true);
        quartz.setEnableJmx(false);
        return quartz;
    }

    /** Lends Quartz connections from Caravan's pool. */
    private record PooledConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the daemon, which closes it after Quartz stops
        }

        @Override
        public void initialize() {
        }
    }
}
