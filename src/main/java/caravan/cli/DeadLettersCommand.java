package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan dead-letters JOB}: the items a run gave up on and why, read from the running daemon. */
@Command(name = "dead-letters", description = "Show the items a job's last run (or --run RUN) dead-lettered, and why.")
public final class DeadLettersCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--run", paramLabel = "RUN", description = "A run id (default: the job's newest run that was not skipped)")
    String run;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many dead letters (default: ${DEFAULT-VALUE}, at most 1000)")
    int limit;

    @Option(names = "--json", description = "Print the dead letters as a JSON array, payloads in full")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        StoredRows.checkLimit(limit, "dead letters");
        Map<String, Object> answer = Json.readRow(client.call(j -> j.deadLetters(job, run, limit)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) answer.get("dead_letters");
        if (json) {
            out.println(Json.write(rows));
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        if (!StoredRows.printRun(out, job, answer, rows.size(), "dead letter(s)")) {
            return CaravanCommand.EXIT_OK;
        }
        if (rows.isEmpty()) {
            Object newest = answer.get("newest_run_with_dead_letters");
            out.println(newest == null ? "No run of job " + job + " has dead letters."
                    : "The newest run with dead letters: " + newest + " (caravan dead-letters " + job + " --run " + newest + ")");
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        Table table = new Table("ITEM", "FAILED", "ATTEMPTS", "HTTP", "ERROR");
        for (Map<String, Object> r : rows) {
            table.row(r.get("item_key"), r.get("failed_at"), r.get("attempts"), r.get("http_status"),
                    StoredRows.preview((String) r.get("error"), StoredRows.ERROR_PREVIEW));
        }
        table.print(out);
        return CaravanCommand.EXIT_OK;
    }
}
