package caravan.cli;

import caravan.jmx.Json;
import caravan.store.StoredItems;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan results} and {@code caravan dead-letters}: rows of one run of a job, read from the running daemon
 * (the job's newest run that was not skipped unless {@code --run} names one): which run, then a table of short
 * cells, or with {@code --json} the rows whole.
 */
abstract class RunRowsCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--run", paramLabel = "RUN", description = "A run id (default: the job's newest run that was not skipped)")
    String run;

    /** Each command's default is the value its constructor leaves here. */
    @Option(names = "--limit", paramLabel = "N", description = "How many rows (default: ${DEFAULT-VALUE}, at most 1000)")
    int limit = 20;

    @Option(names = "--json", description = "Print the rows as a JSON array, payloads in full")
    boolean json;

    /** The MBean's answer: {@code run} and the rows under {@link #rowsKey()}. */
    abstract String fetch(JmxClient client);

    abstract String rowsKey();

    /** What the rows are, plural: "results". */
    abstract String what();

    /** Said when the run has no rows. */
    abstract String whenNone(Map<String, Object> answer);

    abstract Table table(List<Map<String, Object>> rows);

    /** How the rows are ordered, as the header says it. */
    String order() {
        return "newest first";
    }

    /** Said after the run's dead-lettered count: nothing, unless the answer tells more. */
    String deadLetteredDetail(Map<String, Object> answer) {
        return "";
    }

    @Override
    final int run(JmxClient client, PrintWriter out) {
        if (limit < 1 || limit > StoredItems.MAX_ROWS) {
            throw new IllegalArgumentException("--limit " + limit + ": give a number of " + what() + " from 1 to "
                    + StoredItems.MAX_ROWS);
        }
        Map<String, Object> answer = Json.readRow(fetch(client));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) answer.get(rowsKey());
        @SuppressWarnings("unchecked")
        Map<String, Object> ran = (Map<String, Object>) answer.get("run");
        if (json) {
            out.println(Json.write(rows));
        } else if (ran == null) {
            out.println("Job " + job + " has not run yet.");
        } else {
            out.println("Run " + ran.get("run_id") + " (" + ran.get("trigger_type") + ", " + ran.get("status") + ", started "
                    + ran.get("started_at") + "): " + ran.get("items_total") + " items, " + ran.get("items_failed")
                    + " dead-lettered" + deadLetteredDetail(answer) + "; " + rows.size() + " " + what()
                    + " shown, " + order());
            if (rows.isEmpty()) {
                out.println(whenNone(answer));
            } else {
                table(rows).print(out);
            }
        }
        out.flush();
        return CaravanCommand.EXIT_OK;
    }

    /** One line, at most {@code max} characters ({@code --json} gives the text whole). */
    static String preview(String text, int max) {
        if (text == null) {
            return null;
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
