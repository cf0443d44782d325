package caravan.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code caravan log JOB}: what a run logged while it ran, read back from the database by any node. */
@Command(name = "log", description = "Show what a job's last run (or --run RUN) logged at INFO or above while it ran.")
public final class LogCommand extends RunRowsCommand {

    /** Characters of a message shown in the table ({@code --json} gives it whole). */
    static final int PREVIEW = 300;

    LogCommand() {
        limit = 200;
    }

    @Override
    String fetch(JmxClient client) {
        return client.call(j -> j.runLog(job, run, limit));
    }

    @Override
    String rowsKey() {
        return "log";
    }

    @Override
    String what() {
        return "log line(s)";
    }

    @Override
    String order() {
        return "in the order they were logged";
    }

    @Override
    String whenNone(Map<String, Object> answer) {
        return "The run logged nothing at INFO or above while it ran (its end is in caravan history).";
    }

    @Override
    Table table(List<Map<String, Object>> rows) {
        Table table = new Table("AT", "LEVEL", "LOGGER", "MESSAGE");
        for (Map<String, Object> r : rows) {
            String logger = (String) r.get("logger");
            table.row(r.get("logged_at"), r.get("level"), logger == null ? null : logger.substring(logger.lastIndexOf('.') + 1),
                    preview((String) r.get("message"), PREVIEW));
        }
        return table;
    }
}
