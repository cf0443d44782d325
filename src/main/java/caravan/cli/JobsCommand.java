package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan jobs}: every job with its schedule, next fire, pause and last status, then route files that failed. */
@Command(name = "jobs", description = "List the daemon's jobs and the route files that failed to load.")
public final class JobsCommand extends DaemonCommand {

    @Option(names = "--json", description = "Print {\"jobs\": [...], \"load_errors\": [...]} as JSON, for scripts")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        List<Map<String, Object>> jobs = Json.readRows(client.call(j -> j.getJobs()));
        String[] errors = client.call(j -> j.getLoadErrors());
        if (json) {
            out.println(Json.write(Map.of("jobs", jobs, "load_errors", List.of(errors))));
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        if (jobs.isEmpty()) {
            out.println("No jobs loaded.");
        } else {
            // the column of run timeouts and automatic retries only when a job has one
            Table table = new Table("JOB", "SCHEDULE", "TIME ZONE", "NEXT FIRE", "PAUSED", "LAST RUN", "OPTIONS")
                    .optional("OPTIONS");
            for (Map<String, Object> j : jobs) {
                table.row(j.get("id"), j.get("cron") == null && j.get("after") != null ? "(after other jobs)" : j.get("cron"),
                        j.get("time_zone"), j.get("next_fire"),
                        Boolean.TRUE.equals(j.get("paused")) ? "yes" : "no", j.get("last_status"), options(j));
            }
            table.print(out);
        }
        if (errors.length > 0) {
            out.println();
            out.println(errors.length + " route file(s) failed to load (their previous version, if any, still runs):");
            for (String e : errors) {
                out.println("  " + e);
            }
        }
        out.flush();
        return CaravanCommand.EXIT_OK;
    }

    /** "after scrape (succeeded), run timeout 50m, dead letters retried after 1h (3 in a row)", or empty. */
    static String options(Map<String, Object> job) {
        List<String> parts = new java.util.ArrayList<>();
        if (job.get("after") instanceof List<?> after && !after.isEmpty()) {
            String statuses = job.get("after_status") instanceof List<?> s ? join(s) : "succeeded";
            String missing = job.get("after_not_loaded") instanceof List<?> m && !m.isEmpty() ? "; not loaded: " + join(m) : "";
            parts.add("after " + join(after) + " (" + statuses + missing + ")");
        }
        if (job.get("run_timeout") != null) {
            parts.add("run timeout " + job.get("run_timeout"));
        }
        if (job.get("retry_dead_letters") != null) {
            parts.add("dead letters retried after " + job.get("retry_dead_letters") + " (" + job.get("retry_dead_letters_max")
                    + " in a row)");
        }
        return String.join(", ", parts);
    }

    private static String join(List<?> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
