package caravan.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code caravan results JOB}: what a run stored, newest first. */
@Command(name = "results", description = "Show what a job's last run (or --run RUN) stored, newest first.")
public final class ResultsCommand extends RunRowsCommand {

    /** Characters of a payload shown in the table. */
    static final int PREVIEW = 80;

    @Override
    String fetch(JmxClient client) {
        return client.call(j -> j.results(job, run, limit));
    }

    @Override
    String rowsKey() {
        return "results";
    }

    @Override
    String what() {
        return "result(s)";
    }

    @Override
    String whenNone(Map<String, Object> answer) {
        return "Nothing stored: items whose content had not changed since their last result are not stored again.";
    }

    @Override
    Table table(List<Map<String, Object>> rows) {
        Table table = new Table("ITEM", "FETCHED", "CHARS", "PAYLOAD");
        for (Map<String, Object> r : rows) {
            String payload = (String) r.get("payload");
            table.row(r.get("item_key"), r.get("fetched_at"), payload == null ? 0 : payload.length(), preview(payload, PREVIEW));
        }
        return table;
    }
}
