package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan results JOB}: what a run stored, newest first, read from the running daemon. */
@Command(name = "results", description = "Show what a job's last run (or --run RUN) stored, newest first.")
public final class ResultsCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--run", paramLabel = "RUN", description = "A run id (default: the job's newest run that was not skipped)")
    String run;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many results (default: ${DEFAULT-VALUE}, at most 1000)")
    int limit;

    @Option(names = "--json", description = "Print the results as a JSON array, payloads in full")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        StoredRows.checkLimit(limit, "results");
        Map<String, Object> answer = Json.readRow(client.call(j -> j.results(job, run, limit)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) answer.get("results");
        if (json) {
            out.println(Json.write(rows));
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        if (!StoredRows.printRun(out, job, answer, rows.size(), "result(s)")) {
            return CaravanCommand.EXIT_OK;
        }
        if (rows.isEmpty()) {
            out.println("Nothing stored: items whose content had not changed since their last result are not stored again.");
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        Table table = new Table("ITEM", "FETCHED", "CHARS", "PAYLOAD");
        for (Map<String, Object> r : rows) {
            String payload = (String) r.get("payload");
            table.row(r.get("item_key"), r.get("fetched_at"), payload == null ? 0 : payload.length(), StoredRows.preview(payload, StoredRows.PAYLOAD_PREVIEW));
        }
        table.print(out);
        return CaravanCommand.EXIT_OK;
    }
}
