package caravan.config;

import java.time.Duration;

/**
 * Clustered scheduling on a shared PostgreSQL: Quartz's clustered JDBC job store, tuned for fast failover.
 *
 * @param enabled        {@code caravan.cluster.enabled}
 * @param nodeId         {@code caravan.cluster.node-id}: this node's name, recorded on every run; also its Quartz instance id
 * @param checkinInterval how often a node tells the others it is alive (Quartz's {@code clusterCheckinInterval})
 * @param failureGrace   how long past its check-in interval a silent node is given before the others take its fires over
 * @param idleWait       how often an idle node looks for due fires (Quartz's {@code idleWaitTime}, 30 s by default)
 * @param lateFire       a scheduled fire that starts later than this counts as missed: the job's catch-up policy decides
 */
public record ClusterSettings(boolean enabled, String nodeId, Duration checkinInterval, Duration failureGrace,
        Duration idleWait, Duration lateFire) {

    public static final boolean DEFAULT_ENABLED = false;
    public static final Duration DEFAULT_CHECKIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_FAILURE_GRACE = Duration.ofSeconds(3);
    public static final Duration DEFAULT_IDLE_WAIT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LATE_FIRE = Duration.ofSeconds(3);
    /** Quartz refuses an idle wait under 1 s. */
    static final Duration MIN_IDLE_WAIT = Duration.ofSeconds(1);

    public static ClusterSettings from(CaravanProperties p, DbSettings db, String nodeId) {
        boolean enabled = p.getBoolean("caravan.cluster.enabled", DEFAULT_ENABLED);
        if (enabled && !db.isPostgres()) {
            throw new IllegalArgumentException("caravan.cluster.enabled=true needs a database shared by every node, but"
                    + " caravan.db.url is " + db.safeUrl() + ": set caravan.db.url=jdbc:postgresql://HOST:5432/DB");
        }
        ClusterSettings s = new ClusterSettings(enabled, nodeId,
                p.getDuration("caravan.cluster.checkin-interval", DEFAULT_CHECKIN_INTERVAL),
                p.getDuration("caravan.cluster.failure-grace", DEFAULT_FAILURE_GRACE),
                p.getDuration("caravan.cluster.idle-wait", DEFAULT_IDLE_WAIT),
                p.getDuration("caravan.cluster.late-fire", DEFAULT_LATE_FIRE));
        positive("caravan.cluster.checkin-interval", s.checkinInterval);
        positive("caravan.cluster.late-fire", s.lateFire);
        if (s.failureGrace.isNegative()) {
            throw new IllegalArgumentException("caravan.cluster.failure-grace=" + Durations.format(s.failureGrace)
                    + " must be 0 or more");
        }
        if (s.idleWait.compareTo(MIN_IDLE_WAIT) < 0) {
            throw new IllegalArgumentException("caravan.cluster.idle-wait=" + Durations.format(s.idleWait)
                    + " is too short: Quartz needs 1s or more");
        }
        return s;
    }

    private static void positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + "=" + Durations.format(d) + " must be more than 0");
        }
    }

    /** How long after a node's last check-in the others consider it dead (at most). */
    public Duration failoverAfter() {
        return checkinInterval.multipliedBy(2).plus(failureGrace);
    }

    /** For the start-up line. */
    public String summary() {
        return enabled ? "cluster=on(node " + nodeId + ", check-in " + Durations.format(checkinInterval) + ", grace "
                + Durations.format(failureGrace) + ", idle-wait " + Durations.format(idleWait) + ", late-fire "
                + Durations.format(lateFire) + ")" : "cluster=off";
    }
}
