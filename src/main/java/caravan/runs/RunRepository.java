package caravan.runs;

import caravan.store.GroupCommitStatements;
import caravan.store.Jdbc;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code job_run} table. Status changes go through {@link RunStatus#canMoveTo}. */
public final class RunRepository {

    private static final String COLUMNS = "run_id, job_id, trigger_type, scheduled_at, node_id, started_at, finished_at,"
            + " status, items_total, items_failed, items_changed, error, retry_of, params, after_run";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The width of {@code job_run.error}. */
    private static final int MAX_ERROR = 4000;

    private final Jdbc jdbc;
    private final GroupCommitStatements writes;

    public RunRepository(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * {@code writes}: where a run's start and end are committed (many runs per commit when fires come together);
     * null for a plain statement each.
     */
    public RunRepository(DataSource dataSource, GroupCommitStatements writes) {
        this.jdbc = new Jdbc(dataSource);
        this.writes = writes;
    }

    private int write(String sql, Object... params) {
        return writes != null ? writes.update(sql, params) : jdbc.update(sql, params);
    }

    public void insert(JobRun run) {
        write("insert into job_run (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                run.runId(), run.jobId(), run.trigger().dbName(), run.scheduledAt(), run.nodeId(), run.startedAt(),
                run.finishedAt(), run.status().dbName(), run.itemsTotal(), run.itemsFailed(), run.itemsChanged(),
                Jdbc.truncate(run.error(), MAX_ERROR), run.retryOf(), paramsText(run.params()), run.afterRun());
    }

    /** Ends a running run; throws when the run is not running (an illegal move). */
    public void finish(String runId, RunStatus status, RunCounts counts, String error, Instant finishedAt) {
        finish(runId, status, counts, error, finishedAt, false);
    }

    /**
     * Ends a running run; {@code chainPending}: jobs are chained after this end, and it stays marked until their runs
     * are scheduled ({@link #chainsScheduled}).
     */
    public void finish(String runId, RunStatus status, RunCounts counts, String error, Instant finishedAt,
            boolean chainPending) {
        if (!RunStatus.RUNNING.canMoveTo(status)) {
            throw new IllegalStateException("Run " + runId + " cannot move from running to " + status.dbName());
        }
        int updated = write("update job_run set status = ?, finished_at = ?, items_total = ?, items_failed = ?,"
                        + " items_changed = ?, error = ?, chain_pending = ? where run_id = ? and status = 'running'",
                status.dbName(), finishedAt, counts.total(), counts.deadLettered(), counts.changed(),
                Jdbc.truncate(error, MAX_ERROR), chainPending, runId);
        if (updated == 0) {
            JobRun current = find(runId);
            throw new IllegalStateException("Run " + runId + " cannot move from "
                    + (current == null ? "nothing (no such run)" : current.status().dbName()) + " to " + status.dbName());
        }
    }

    /** The node's runs that ended before {@code before} with the runs chained after them not yet scheduled, oldest first. */
    public List<JobRun> chainsPending(String nodeId, Instant before) {
        return jdbc.query("select " + COLUMNS + " from job_run where chain_pending = true and node_id = ? and finished_at < ?"
                + " order by finished_at", RunRepository::map, nodeId, before);
    }

    /** The runs chained after the run's end are scheduled (or none were due). */
    public void chainsScheduled(String runId) {
        jdbc.update("update job_run set chain_pending = false where run_id = ? and chain_pending = true", runId);
    }

    /** Whether a run of {@code jobId} was started as the run chained after {@code run}'s end. */
    public boolean followedBy(JobRun run, String jobId) {
        return jdbc.queryOne("select count(*) from job_run where job_id = ? and after_run = ?",
                rs -> rs.getLong(1), jobId, run.runId()) > 0;
    }

    /** Marks every run still {@code running} on the node as interrupted; returns them as they now stand. */
    public List<JobRun> interruptRunning(String nodeId, String why, Instant at) {
        List<JobRun> running = jdbc.query("select " + COLUMNS + " from job_run where status = 'running' and node_id = ?",
                RunRepository::map, nodeId);
        List<JobRun> interrupted = new java.util.ArrayList<>();
        for (JobRun run : running) {
            if (interrupt(run.runId(), why, at)) { // one by one: another node may mark the same run first
                interrupted.add(find(run.runId()));
            }
        }
        return interrupted;
    }

    /** Marks the given run interrupted if it is still running. */
    public boolean interrupt(String runId, String why, Instant at) {
        return jdbc.update("update job_run set status = 'interrupted', finished_at = ?, error = ?"
                + " where status = 'running' and run_id = ?", at, why, runId) == 1;
    }

    public JobRun find(String runId) {
        return jdbc.queryOne("select " + COLUMNS + " from job_run where run_id = ?", RunRepository::map, runId);
    }

    /** Runs of every job that started at or after {@code since}, of the given statuses (empty: all), newest first. */
    public List<JobRun> recent(java.util.Set<RunStatus> statuses, Instant since, int limit) {
        List<Object> params = new java.util.ArrayList<>();
        params.add(since);
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from job_run where started_at >= ?");
        if (!statuses.isEmpty()) {
            sql.append(" and status in (").append(Jdbc.placeholders(statuses.size())).append(')');
            statuses.stream().map(RunStatus::dbName).sorted().forEach(params::add);
        }
        sql.append(" order by started_at desc, run_id desc fetch first ").append(Math.max(1, limit)).append(" rows only");
        return jdbc.query(sql.toString(), RunRepository::map, params.toArray());
    }

    public List<JobRun> history(String jobId, int limit) {
        return jdbc.query("select " + COLUMNS + " from job_run where job_id = ? order by started_at desc, run_id desc"
                + " fetch first " + Math.max(1, limit) + " rows only", RunRepository::map, jobId);
    }

    /**
     * The job's newest run that was not skipped (the one an operator means by "the last run"), or with
     * {@code withDeadLetters} the newest finished run that dead-lettered items; null when there is none.
     */
    public JobRun newestRun(String jobId, boolean withDeadLetters) {
        List<JobRun> found = jdbc.query("select " + COLUMNS + " from job_run where job_id = ? and status <> 'skipped'"
                + (withDeadLetters ? " and items_failed > 0" : "") + " order by started_at desc, run_id desc"
                + " fetch first 1 rows only", RunRepository::map, jobId);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * The status of the job's run that started before {@code run} and has ended, skipped runs left out (a skipped
     * fire says nothing of how the job does); null when there is none.
     */
    public RunStatus previousStatus(JobRun run) {
        List<String> found = jdbc.query("select status from job_run where job_id = ? and run_id <> ? and started_at <= ?"
                + " and status in ('succeeded', 'partial', 'failed', 'interrupted') order by started_at desc"
                + " fetch first 1 rows only", rs -> rs.getString(1), run.jobId(), run.runId(), run.startedAt());
        return found.isEmpty() ? null : RunStatus.fromDb(found.get(0));
    }

    /** Each job's newest succeeded run's end, for the jobs that have one. */
    public Map<String, Instant> lastSucceeded() {
        Map<String, Instant> byJob = new LinkedHashMap<>();
        jdbc.query("select job_id, max(finished_at) as finished_at from job_run where status = 'succeeded'"
                        + " and finished_at is not null group by job_id",
                rs -> Map.entry(rs.getString("job_id"), Jdbc.instant(rs, "finished_at")))
                .forEach(e -> byJob.put(e.getKey(), e.getValue()));
        return byJob;
    }

    public RunStatus lastStatus(String jobId) {
        List<JobRun> last = history(jobId, 1);
        return last.isEmpty() ? null : last.get(0).status();
    }

    static JobRun map(ResultSet rs) throws SQLException {
        return new JobRun(rs.getString("run_id"), rs.getString("job_id"), TriggerType.fromDb(rs.getString("trigger_type")),
                Jdbc.instant(rs, "scheduled_at"), rs.getString("node_id"), Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"), RunStatus.fromDb(rs.getString("status")), rs.getInt("items_total"),
                rs.getInt("items_failed"), rs.getInt("items_changed"), rs.getString("error"), rs.getString("retry_of"),
                params(rs.getString("params")), rs.getString("after_run"));
    }

    private static String paramsText(Map<String, String> params) {
        try {
            return params.isEmpty() ? null : JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a run's parameters as JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> params(String text) throws SQLException {
        try {
            return text == null ? Map.of() : JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("job_run.params is not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }
}
