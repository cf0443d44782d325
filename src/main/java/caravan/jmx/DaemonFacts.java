package caravan.jmx;

import java.time.Instant;

/**
 * What {@code caravan status} says about the daemon itself, fixed at its start.
 *
 * @param version Caravan's; {@code java} the daemon's JVM
 * @param database the JDBC URL without credentials
 */
public record DaemonFacts(String version, String java, String nodeId, Instant startedAt, String database, boolean clustered) {
}
