package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan history JOB}: the job's last runs, newest first. */
@Command(name = "history", description = "Show a job's last runs, newest first.")
public final class HistoryCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "Print the runs as a JSON array (the fields of job_run), for scripts")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        requireRuns(limit);
        String answer = client.call(j -> j.history(job, limit));
        if (json) {
            out.println(answer);
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        List<Map<String, Object>> runs = Json.readRows(answer);
        if (runs.isEmpty()) {
            out.println("Job " + job + " has not run yet.");
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        Table table = new Table("RUN", "TRIGGER", "STATUS", "STARTED", "DURATION", "ITEMS", "FAILED", "CHANGED", "PARAMS",
                "ERROR").optional("PARAMS");
        for (Map<String, Object> r : runs) {
            Object trigger = r.get("retry_of") == null ? r.get("trigger_type") : r.get("trigger_type") + " of " + r.get("retry_of");
            table.row(r.get("run_id"), trigger, r.get("status"), r.get("started_at"), duration(r), r.get("items_total"),
                    r.get("items_failed"), r.get("items_changed"), params(r.get("params")), r.get("error"));
        }
        table.print(out);
        return CaravanCommand.EXIT_OK;
    }

    /** A {@code --limit} of runs: 1 or more (the daemon caps it). */
    static void requireRuns(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit " + limit + ": give a number of runs, 1 or more");
        }
    }

    /** {@code name=value name2=value2}, or null for none. */
    static String params(Object params) {
        if (!(params instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        map.forEach((name, value) -> text.append(text.length() == 0 ? "" : " ").append(name).append('=').append(value));
        return RunRowsCommand.preview(text.toString(), 80);
    }

    static String duration(Map<String, Object> run) {
        Object started = run.get("started_at");
        if (started == null) {
            return null;
        }
        Object finished = run.get("finished_at");
        Instant end = finished == null ? Instant.now() : Instant.parse(finished.toString());
        return seconds(Duration.between(Instant.parse(started.toString()), end));
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
