package caravan.metrics;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;

/** UP when the database answers and the scheduler runs; each check says what is wrong when it is not. */
public final class Health {

    /** The overall status and each check's status or error. */
    public record Report(boolean up, Map<String, String> checks) {
    }

    private final DataSource dataSource;
    private final CamelContext camel;

    public Health(DataSource dataSource, CamelContext camel) {
        this.dataSource = dataSource;
        this.camel = camel;
    }

    public Report check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("database", database());
        checks.put("scheduler", scheduler());
        return new Report(checks.values().stream().allMatch("UP"::equals), checks);
    }

    private String database() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? "UP" : "DOWN: the connection is not valid";
        } catch (Exception e) {
            return "DOWN: " + e.getMessage();
        }
    }

    private String scheduler() {
        try {
            if (!camel.isStarted()) {
                return "DOWN: Camel is " + camel.getStatus();
            }
            QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
            Scheduler s = quartz == null ? null : quartz.getScheduler();
            if (s == null || !s.isStarted() || s.isShutdown() || s.isInStandbyMode()) {
                return "DOWN: the Quartz scheduler is not running";
            }
            return "UP";
        } catch (Exception e) {
            return "DOWN: " + e.getMessage();
        }
    }
}
