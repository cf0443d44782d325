package caravan.cli;

import caravan.jmx.Json;
import caravan.store.StoredItems;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan latest JOB}: each item's current content, its newest result whichever run stored it, by item key,
 * a page at a time: what the job knows now (unchanged items are not stored again, so one run's results are not it).
 */
@Command(name = "latest", description = "Show each item's current content (its newest result), by item key.")
public final class LatestCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--after", paramLabel = "KEY", description = "Start after this item key (the last one a page showed)")
    String after;

    @Option(names = "--limit", paramLabel = "N", description = "How many items (default: ${DEFAULT-VALUE}, at most 1000)")
    int limit = 20;

    @Option(names = "--json", description = "Print the rows as a JSON array, payloads in full")
    boolean json;

    @Override
    int run(JmxClient client, PrintWriter out) {
        if (limit < 1 || limit > StoredItems.MAX_ROWS) {
            throw new IllegalArgumentException("--limit " + limit + ": give a number of items from 1 to " + StoredItems.MAX_ROWS);
        }
        Map<String, Object> answer = Json.readRow(client.call(j -> j.latest(job, after, limit)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) answer.get("results");
        if (json) {
            out.println(Json.write(rows));
            out.flush();
            return CaravanCommand.EXIT_OK;
        }
        out.println("Job " + job + ": " + answer.get("items") + " item(s) stored; " + rows.size() + " shown by item key"
                + (after == null ? "" : ", after " + after));
        if (rows.isEmpty()) {
            out.println(after == null ? "Nothing stored yet." : "No more items.");
        } else {
            Table table = new Table("ITEM", "FETCHED", "RUN", "CHARS", "PAYLOAD");
            for (Map<String, Object> r : rows) {
                String payload = (String) r.get("payload");
                table.row(r.get("item_key"), r.get("fetched_at"), r.get("run_id"), payload == null ? 0 : payload.length(),
                        RunRowsCommand.preview(payload, ResultsCommand.PREVIEW));
            }
            table.print(out);
            if (rows.size() == limit) {
                out.println("More: caravan latest " + job + " --after '" + rows.get(rows.size() - 1).get("item_key") + "'");
            }
        }
        out.flush();
        return CaravanCommand.EXIT_OK;
    }
}
