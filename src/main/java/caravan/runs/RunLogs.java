package caravan.runs;

import caravan.config.Secrets;
import caravan.store.Jdbc;
import caravan.store.StoredItems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code run_log} table: each run's log lines, written in one statement batch when the run ends (a run that
 * logged nothing writes nothing), secrets masked, and read back by run.
 */
public final class RunLogs {

    /** Characters of a message kept: the column's width. */
    static final int MAX_MESSAGE = 4000;

    private final Jdbc jdbc;
    private final Secrets secrets;
    private final int maxLines;

    /** {@code maxLines}: lines kept per run ({@code caravan.runs.log-lines}); 0 keeps none. */
    public RunLogs(DataSource dataSource, Secrets secrets, int maxLines) {
        this.jdbc = new Jdbc(dataSource);
        this.secrets = secrets;
        this.maxLines = maxLines;
    }

    /** A new run's log, empty. */
    public RunLog open() {
        return maxLines > 0 ? new RunLog(maxLines) : RunLog.NONE;
    }

    /** Writes what the run logged, with a last line saying how many more lines it logged, if any. */
    public void keep(JobRun run, RunLog log) {
        List<RunLog.Line> lines = new ArrayList<>(log.lines());
        if (lines.isEmpty()) {
            return;
        }
        if (log.dropped() > 0) {
            RunLog.Line last = lines.get(lines.size() - 1);
            lines.add(new RunLog.Line(last.at(), "INFO", RunLogs.class.getName(), log.dropped()
                    + " more line(s) not kept: a run keeps its first " + maxLines + " (caravan.runs.log-lines)"));
        }
        List<Object[]> rows = new ArrayList<>();
        for (RunLog.Line line : lines) {
            rows.add(new Object[] {run.runId(), run.jobId(), line.at(), line.level(), Jdbc.truncate(line.logger(), 200),
                    Jdbc.truncate(secrets.mask(line.message()), MAX_MESSAGE)});
        }
        jdbc.batch("insert into run_log (run_id, job_id, logged_at, level, logger, message) values (?, ?, ?, ?, ?, ?)", rows);
    }

    /**
     * The run's lines in the order they were logged, the first {@code limit} (at most {@link StoredItems#MAX_ROWS}):
     * logged_at, level, logger, message.
     */
    public List<Map<String, Object>> lines(String runId, int limit) {
        return jdbc.query("select logged_at, level, logger, message from run_log where run_id = ? order by id"
                + " fetch first " + StoredItems.rows(limit) + " rows only", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    var at = Jdbc.instant(rs, "logged_at");
                    m.put("logged_at", at == null ? null : at.toString());
                    m.put("level", rs.getString("level"));
                    m.put("logger", rs.getString("logger"));
                    m.put("message", rs.getString("message"));
                    return m;
                }, runId);
    }
}
