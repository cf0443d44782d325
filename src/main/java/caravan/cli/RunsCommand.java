package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan runs}: the runs of every job, newest first, e.g. what failed overnight. */
@Command(name = "runs", description = "Show the runs of every job, newest first (e.g. --status failed,partial --since 12h).")
public final class RunsCommand extends DaemonCommand {

    @Option(names = "--status", paramLabel = "STATUS[,STATUS]",
            description = "Only runs of these statuses: running, succeeded, partial, failed, interrupted, skipped")
    String status;

    @Option(names = "--since", paramLabel = "AGE|INSTANT", defaultValue = "24h",
            description = "Runs started within this age (30m, 12h, 7d) or since this instant (2026-12-01T00:00:00Z);"
                    + " default: ${DEFAULT-VALUE}")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many runs (default: ${DEFAULT-VALUE}, at most 1000)")
    int limit;

    @Option(names = "--json", description = "Print the runs as a JSON array (the fields of job_run), for scripts")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        HistoryCommand.requireRuns(limit);
        String answer = client.call(j -> j.runs(status, since, limit));
        if (json) {
            out.println(answer);
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        List<Map<String, Object>> runs = Json.readRows(answer);
        if (runs.isEmpty()) {
            boolean age = !since.contains("T");
            out.println("No " + (status == null ? "" : status + " ") + "runs " + (age ? "in the last " : "since ") + since + ".");
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        Table table = new Table("JOB", "RUN", "TRIGGER", "STATUS", "STARTED", "DURATION", "ITEMS", "FAILED", "ERROR");
        for (Map<String, Object> r : runs) {
            table.row(r.get("job_id"), r.get("run_id"), r.get("trigger_type"), r.get("status"), r.get("started_at"),
                    HistoryCommand.duration(r), r.get("items_total"), r.get("items_failed"), r.get("error"));
        }
        table.print(out);
        out.flush();
        return CaravanCommand.EXIT_OK;
    }
}
