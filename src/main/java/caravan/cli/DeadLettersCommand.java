package caravan.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code caravan dead-letters JOB}: the items a run gave up on, and why. */
@Command(name = "dead-letters", description = "Show the items a job's last run (or --run RUN) dead-lettered, and why.")
public final class DeadLettersCommand extends RunRowsCommand {

    /** Characters of an error shown in the table: the status and URL come at its end. */
    static final int PREVIEW = 240;

    @Override
    String fetch(JmxClient client) {
        return client.call(j -> j.deadLetters(job, run, limit));
    }

    @Override
    String rowsKey() {
        return "dead_letters";
    }

    @Override
    String what() {
        return "dead letter(s)";
    }

    @Override
    String whenNone(Map<String, Object> answer) {
        Object newest = answer.get("newest_run_with_dead_letters");
        return newest == null ? "No run of job " + job + " has dead letters."
                : "The newest run with dead letters: " + newest + " (caravan dead-letters " + job + " --run " + newest + ")";
    }

    @Override
    Table table(List<Map<String, Object>> rows) {
        Table table = new Table("ITEM", "FAILED", "ATTEMPTS", "HTTP", "KIND", "ERROR");
        for (Map<String, Object> r : rows) {
            table.row(r.get("item_key"), r.get("failed_at"), r.get("attempts"), r.get("http_status"),
                    r.get("failure_kind"), preview((String) r.get("error"), PREVIEW));
        }
        return table;
    }
}
