package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan status}: the daemon at a glance: what it is, since when, its jobs and what runs now. */
@Command(name = "status", description = "Show the daemon at a glance: version, uptime, database, jobs, runs in progress.")
public final class StatusCommand extends DaemonCommand {

    @Option(names = "--json", description = "Print the status as a JSON object, for scripts")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        String answer = client.call(j -> j.getStatus());
        if (json) {
            out.println(answer);
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        Map<String, Object> s = Json.readRow(answer);
        out.printf("Caravan %s (Java %s) on node %s%s, up %s since %s%n", s.get("version"), s.get("java"), s.get("node_id"),
                Boolean.TRUE.equals(s.get("cluster")) ? " (cluster)" : "",
                uptime(Duration.ofSeconds(((Number) s.get("uptime_seconds")).longValue())), s.get("started_at"));
        out.println("Database: " + s.get("database"));
        List<Map<String, Object>> running = rows(s.get("running"));
        long errors = ((Number) s.get("load_errors")).longValue();
        out.printf("Jobs: %s loaded, %s paused, %d running%s%n", s.get("jobs"), s.get("paused"), running.size(),
                errors == 0 ? "" : "; " + errors + " route file(s) failed to load ('caravan jobs' shows why)");
        if (!running.isEmpty()) {
            out.println();
            Table table = new Table("JOB", "RUN", "TRIGGER", "STARTED", "ELAPSED", "ITEMS", "FAILED");
            for (Map<String, Object> r : running) {
                table.row(r.get("job_id"), r.get("run_id"), r.get("trigger_type"), r.get("started_at"),
                        HistoryCommand.duration(r), r.get("items_total"), r.get("items_failed"));
            }
            table.print(out);
        }
        out.flush();
        return CaravanCommand.EXIT_OK;
    }

    /** {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 12 min}, {@code 40 s}: the two largest units. */
    static String uptime(Duration d) {
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        return minutes > 0 ? minutes + " min" : d.toSecondsPart() + " s";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Object value) {
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
