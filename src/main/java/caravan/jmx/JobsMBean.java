package caravan.jmx;

/** {@code caravan:type=Jobs}: the operator's remote control, as the product contract names it. */
public interface JobsMBean {

    /** Fires the job now through its own route; returns the run id (recorded as {@code manual}). */
    String trigger(String jobId);

    /**
     * As {@link #trigger}, with parameters as {@code NAME=VALUE}: the run's exchange carries each as a property
     * ({@code ${exchangeProperty.NAME}}). A malformed or reserved name is refused.
     */
    String triggerWith(String jobId, String[] params);

    /**
     * Cancels the job's run in progress on this node: it sends no new HTTP request, the items that would send one are
     * dead-lettered, and it ends soon after; returns its run id. Refused when the job has no run in progress here.
     */
    String cancel(String jobId);

    /**
     * Fires the job now to redo the items that run {@code runId} of it dead-lettered (null or empty: the job's newest
     * run with dead letters), recorded as {@code retry}; returns a JSON object: {@code run_id}, {@code retry_of} and
     * {@code items} (how many items it redoes). Refused for a run still in progress or without dead letters.
     */
    String retry(String jobId, String runId);

    void pause(String jobId);

    void resume(String jobId);

    /**
     * Waits up to {@code timeoutMillis} (at most an hour) for the run to end; returns the run as a JSON object (the
     * shape of a history row), still {@code running} if it did not end in time, or {@code null} if no run has that id.
     */
    String awaitRun(String runId, long timeoutMillis);

    /**
     * The runs of every job, newest first, as a JSON array of history rows: those that started within {@code since}
     * ({@code 24h}, {@code 7d}, ..., or an ISO-8601 instant; null or empty: 24 hours), of the {@code statuses} given
     * (comma-separated, e.g. {@code failed,partial}; null or empty: all). At most 1000.
     */
    String runs(String statuses, String since, int limit);

    /** The job's last runs, newest first, as a JSON array; a running run carries its live counts. */
    String history(String jobId, int limit);

    /**
     * Runs the job once per fire time of its schedule between {@code from} and {@code to} (ISO-8601; without an
     * offset, in the job's time zone), one after the other, recorded as {@code backfill}; returns the planned runs
     * as JSON. Refuses a range with more fires than {@code caravan.backfill.max-runs}.
     */
    String backfill(String jobId, String from, String to);

    /**
     * What a run stored, newest first, as a JSON object: {@code run} (a history row, null when the job has no run)
     * and {@code results} (id, item_key, content_hash, fetched_at, payload). {@code runId} null or empty: the job's
     * newest run that was not skipped. At most 1000 rows.
     */
    String results(String jobId, String runId, int limit);

    /**
     * Each item's current content (its newest result), by item key, as a JSON object: {@code items} (how many items
     * the job has a result for) and {@code results} (id, item_key, content_hash, fetched_at, run_id, payload), from
     * the first item after {@code afterKey} (null or empty: from the first). At most 1000 rows.
     */
    String latest(String jobId, String afterKey, int limit);

    /**
     * What a run dead-lettered, newest first, as a JSON object: {@code run}, {@code dead_letters} (id, item_key,
     * endpoint, attempts, http_status, failure_kind, error, failed_at, payload), {@code dead_letters_by_kind} (each
     * kind the run has, with its count) and {@code newest_run_with_dead_letters} (a run id or null), for when the run
     * asked for has none. {@code runId} as for {@link #results}.
     */
    String deadLetters(String jobId, String runId, int limit);

    /** As {@link #deadLetters(String, String, int)}, the rows of one {@code failure_kind} only ({@code transient}, ...). */
    String deadLetters(String jobId, String runId, int limit, String kind);

    /**
     * What a run logged at INFO or above while it ran, in order, as a JSON object: {@code run} and {@code log}
     * (logged_at, level, logger, message). {@code runId} as for {@link #results}. At most 1000 lines.
     */
    String runLog(String jobId, String runId, int limit);

    /**
     * Backs the embedded H2 database up, while the daemon runs, to {@code name} in the backup folder
     * ({@code caravan.backup.dir}; null or empty: a name with the time); returns a JSON object: {@code file},
     * {@code bytes}, {@code took_ms}. Refused for a name that is a path or exists, and for PostgreSQL.
     */
    String backupDatabase(String name);

    /**
     * The daemon at a glance, as a JSON object: {@code version}, {@code node_id}, {@code started_at},
     * {@code uptime_seconds}, {@code database} (without credentials), {@code cluster}, {@code jobs} and {@code paused}
     * (counts), {@code running} (the runs in progress on this node, history rows with live counts) and
     * {@code load_errors} (how many route files failed to load).
     */
    String getStatus();

    /** Every job as a JSON array: id, cron, time zone, next fire, paused, last status. */
    String getJobs();

    /** {@code file:line: message} for each route file that failed to load. */
    String[] getLoadErrors();
}
