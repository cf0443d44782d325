package caravan.cluster;

import caravan.store.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clustered Quartz compares check-in times written by different machines, so their clocks must agree. At start
 * this node's clock is compared with the database's (which every node shares); off by more than the tolerance is
 * a warning that says how much and what to do.
 */
public final class ClockCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ClockCheck.class);
    public static final Duration TOLERANCE = Duration.ofSeconds(1);

    private final Jdbc jdbc;
    private final Clock clock;

    public ClockCheck(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /** This node's clock minus the database's, measured at the middle of the round trip. */
    public Duration offset() {
        Instant before = clock.instant();
        Instant database = jdbc.queryOne("select current_timestamp", rs -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
        Instant after = clock.instant();
        Instant local = before.plus(Duration.between(before, after).dividedBy(2));
        return Duration.between(database, local);
    }

    /** Logs a warning when the offset is more than {@link #TOLERANCE}; returns the offset. */
    public Duration warnIfOff(String nodeId) {
        Duration offset = offset();
        if (offset.abs().compareTo(TOLERANCE) > 0) {
            LOG.warn("Node {}: its clock is {} ms {} the database's (more than {} ms): cluster check-ins and fire times "
                    + "compare clocks of different machines, so sync this machine with NTP (chrony, systemd-timesyncd)",
                    nodeId, offset.abs().toMillis(), offset.isNegative() ? "behind" : "ahead of", TOLERANCE.toMillis());
        } else {
            LOG.info("Node {}: clock within {} ms of the database's", nodeId, offset.abs().toMillis());
        }
        return offset;
    }
}
