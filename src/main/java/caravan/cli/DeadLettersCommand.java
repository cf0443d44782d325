package caravan.cli;

import caravan.store.DeadLetterKind;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan dead-letters JOB}: the items a run gave up on, and why. */
@Command(name = "dead-letters", description = "Show the items a job's last run (or --run RUN) dead-lettered, and why.")
public final class DeadLettersCommand extends RunRowsCommand {

    @Option(names = "--kind", paramLabel = "KIND", description = "Only dead letters of this failure kind: transient,"
            + " permanent, refused, cut_off or not_retried")
    String kind;

    /** Characters of an error shown in the table: the status and URL come at its end. */
    static final int PREVIEW = 240;

    @Override
    String fetch(JmxClient client) {
        if (kind == null) {
            return client.call(j -> j.deadLetters(job, run, limit));
        }
        String only = DeadLetterKind.fromColumn(kind.strip()).column(); // refused here, before the daemon is asked
        return client.call(j -> j.deadLetters(job, run, limit, only));
    }

    /** {@code " (3 transient, 1 permanent)"}: how the run's dead letters divide by kind. */
    @Override
    String deadLetteredDetail(Map<String, Object> answer) {
        if (!(answer.get("dead_letters_by_kind") instanceof Map<?, ?> byKind) || byKind.isEmpty()) {
            return "";
        }
        StringBuilder detail = new StringBuilder();
        byKind.forEach((k, n) -> detail.append(detail.length() == 0 ? " (" : ", ").append(n).append(' ').append(k));
        return detail.append(')').toString();
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
        if (kind != null && answer.get("dead_letters_by_kind") instanceof Map<?, ?> byKind && !byKind.isEmpty()) {
            return "None of kind " + kind.strip() + " (without --kind: all " + what() + " of the run)";
        }
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
