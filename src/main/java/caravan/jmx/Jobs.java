package caravan.jmx;

import caravan.config.Durations;
import caravan.routes.RouteFileLoader;
import caravan.runs.ActiveRun;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RunEnds;
import caravan.runs.RunParams;
import caravan.runs.RunLogs;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.scheduling.Backfill;
import caravan.scheduling.JobControl;
import caravan.scheduling.JobQuartzComponent;
import caravan.scheduling.JobSchedule;
import caravan.store.DatabaseBackup;
import caravan.store.DeadLetterKind;
import caravan.store.StoredItems;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code caravan:type=Jobs} MBean over {@link JobControl}. Errors cross the wire as plain JDK exceptions
 * carrying only their message, so that any JMX client (jconsole, jmxterm) can show them.
 */
public final class Jobs implements JobsMBean {

    public static final String OBJECT_NAME = "caravan:type=Jobs";
    public static final int MAX_HISTORY = 1000;
    static final Duration MAX_AWAIT = Duration.ofHours(1);

    private final JobControl control;
    private final RunRepository runs;
    private final ActiveRuns active;
    private final RouteFileLoader routeFiles;
    private final Backfill backfill;
    private final RunEnds ends;
    private final StoredItems stored;
    private final RunLogs logs;
    private final DatabaseBackup backups;
    private final DaemonFacts facts;
    private final Clock clock;

    public Jobs(JobControl control, RunRepository runs, ActiveRuns active, RouteFileLoader routeFiles, Backfill backfill,
            RunEnds ends, StoredItems stored, RunLogs logs, DatabaseBackup backups, DaemonFacts facts, Clock clock) {
        this.backups = backups;
        this.facts = facts;
        this.clock = clock;
        this.logs = logs;
        this.stored = stored;
        this.backfill = backfill;
        this.ends = ends;
        this.control = control;
        this.runs = runs;
        this.active = active;
        this.routeFiles = routeFiles;
    }

    @Override
    public String trigger(String jobId) {
        return call(() -> control.trigger(jobId));
    }

    @Override
    public String triggerWith(String jobId, String[] params) {
        return call(() -> control.trigger(jobId, RunParams.parse(params)));
    }

    @Override
    public String backfill(String jobId, String from, String to) {
        return call(() -> backfill.run(jobId, from, to).toJson());
    }

    @Override
    public String backupDatabase(String name) {
        return call(() -> {
            DatabaseBackup.Written w = backups.backup(name);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", w.file().toString());
            out.put("bytes", w.bytes());
            out.put("took_ms", w.millis());
            return Json.write(out);
        });
    }

    @Override
    public String cancel(String jobId) {
        return call(() -> control.cancel(jobId));
    }

    @Override
    public String retry(String jobId, String runId) {
        return call(() -> {
            JobControl.RetryStarted started = control.retry(jobId, runId);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", started.runId());
            m.put("retry_of", started.retryOf());
            m.put("items", started.items());
            return Json.write(m);
        });
    }

    @Override
    public void pause(String jobId) {
        call(() -> {
            control.pause(jobId);
            return null;
        });
    }

    @Override
    public void resume(String jobId) {
        call(() -> {
            control.resume(jobId);
            return null;
        });
    }

    @Override
    public String awaitRun(String runId, long timeoutMillis) {
        return call(() -> {
            try {
                Duration timeout = Duration.ofMillis(Math.min(Math.max(0, timeoutMillis), MAX_AWAIT.toMillis()));
                return ends.await(runId, timeout).map(r -> Json.write(runView(r))).orElse(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for run " + runId);
            }
        });
    }

    @Override
    public String history(String jobId, int limit) {
        return call(() -> {
            List<JobRun> found = runs.history(jobId, Math.min(Math.max(1, limit), MAX_HISTORY));
            if (found.isEmpty()) {
                control.requireKnown(jobId);
            }
            return Json.write(found.stream().map(this::runView).toList());
        });
    }

    @Override
    public String runs(String statuses, String since, int limit) {
        return call(() -> Json.write(runs.recent(RunFilter.statuses(statuses), RunFilter.since(since, clock.instant()),
                Math.min(Math.max(1, limit), MAX_HISTORY)).stream().map(this::runView).toList()));
    }

    @Override
    public String results(String jobId, String runId, int limit) {
        return call(() -> {
            JobRun run = inspectedRun(jobId, runId);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run == null ? null : runView(run));
            m.put("results", run == null ? List.of() : stored.results(run.runId(), limit));
            return Json.write(m);
        });
    }

    @Override
    public String latest(String jobId, String afterKey, int limit) {
        return call(() -> {
            control.requireKnown(jobId);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("items", stored.itemCount(jobId));
            m.put("results", stored.latest(jobId, afterKey == null || afterKey.isEmpty() ? null : afterKey, limit));
            return Json.write(m);
        });
    }

    @Override
    public String runLog(String jobId, String runId, int limit) {
        return call(() -> {
            JobRun run = inspectedRun(jobId, runId);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run == null ? null : runView(run));
            m.put("log", run == null ? List.of() : logs.lines(run.runId(), limit));
            return Json.write(m);
        });
    }

    @Override
    public String deadLetters(String jobId, String runId, int limit) {
        return deadLetters(jobId, runId, limit, null);
    }

    @Override
    public String deadLetters(String jobId, String runId, int limit, String kind) {
        return call(() -> {
            DeadLetterKind only = kind == null || kind.isBlank() ? null : DeadLetterKind.fromColumn(kind.strip());
            JobRun run = inspectedRun(jobId, runId);
            List<Map<String, Object>> letters = run == null ? List.of() : stored.deadLetters(run.runId(), limit, only);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", run == null ? null : runView(run));
            m.put("dead_letters", letters);
            Map<String, Integer> byKind = new LinkedHashMap<>();
            if (run != null) {
                stored.countByKind(run.runId()).forEach((k, n) -> byKind.put(k.column(), n));
            }
            m.put("dead_letters_by_kind", byKind);
            JobRun newest = letters.isEmpty() && byKind.isEmpty() ? runs.newestRun(jobId, true) : run;
            m.put("newest_run_with_dead_letters", newest == null ? null : newest.runId());
            return Json.write(m);
        });
    }

    /** The run asked for, which must be the job's; or the job's newest run that was not skipped (null: none yet). */
    private JobRun inspectedRun(String jobId, String runId) {
        if (runId != null && !runId.isBlank()) {
            return control.runOf(jobId, runId);
        }
        JobRun run = runs.newestRun(jobId, false);
        if (run == null) {
            control.requireKnown(jobId);
        }
        return run;
    }

    @Override
    public String getJobs() {
        return call(() -> {
            List<JobSchedule> jobs = control.schedules();
            List<String> loaded = jobs.stream().map(JobSchedule::jobId).toList();
            return Json.write(jobs.stream().map(j -> jobView(j, loaded)).toList());
        });
    }

    @Override
    public String getStatus() {
        return call(() -> {
            List<JobSchedule> jobs = control.schedules();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", facts.version());
            m.put("java", facts.java());
            m.put("node_id", facts.nodeId());
            m.put("started_at", facts.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            m.put("uptime_seconds", Duration.between(facts.startedAt(), clock.instant()).toSeconds());
            m.put("database", facts.database());
            m.put("cluster", facts.clustered());
            m.put("jobs", jobs.size());
            m.put("paused", jobs.stream().filter(JobSchedule::paused).count());
            m.put("running", active.all().stream().map(ActiveRun::run)
                    .sorted(java.util.Comparator.comparing(JobRun::startedAt)).map(this::runView).toList());
            m.put("load_errors", routeFiles.problems().size());
            return Json.write(m);
        });
    }

    @Override
    public String[] getLoadErrors() {
        return routeFiles.problems().stream().map(Object::toString).toArray(String[]::new);
    }

    /** The run's row, with the live counts of a run still in progress. */
    private Map<String, Object> runView(JobRun r) {
        Map<String, Object> m = r.row();
        ActiveRun live = r.status().isTerminal() ? null : active.get(r.runId());
        if (live != null) {
            m.put("items_total", live.counts().total());
            m.put("items_failed", live.counts().deadLettered());
            m.put("items_changed", live.counts().changed());
        }
        return m;
    }

    private static Map<String, Object> jobView(JobSchedule j, List<String> loaded) {
        Map<String, Object> m = new LinkedHashMap<>();
        // a job that runs only after others has no schedule of its own to show
        boolean chainedOnly = j.options() != null && !j.options().after().isEmpty()
                && JobQuartzComponent.NEVER.equals(j.cron());
        m.put("id", j.jobId());
        m.put("cron", chainedOnly ? null : j.cron());
        m.put("time_zone", j.timeZone());
        m.put("next_fire", chainedOnly || j.nextFire() == null ? null
                : j.nextFire().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("paused", j.paused());
        m.put("last_status", j.lastStatus() == null ? null : j.lastStatus().dbName());
        if (j.options() != null) {
            m.put("catchup", j.options().catchUp().configName());
            m.put("catchup_max", j.options().catchUpMax());
            m.put("run_timeout", j.options().runTimeout().isZero() ? null : Durations.format(j.options().runTimeout()));
            m.put("retry_dead_letters", j.options().retryDeadLetters().isZero() ? null
                    : Durations.format(j.options().retryDeadLetters()));
            m.put("retry_dead_letters_max", j.options().retryDeadLettersMax());
            m.put("after", j.options().after().isEmpty() ? null : j.options().after());
            m.put("after_status", j.options().after().isEmpty() ? null : j.options().afterStatus().stream()
                    .sorted().map(RunStatus::dbName).toList());
            List<String> missing = j.options().after().stream().filter(id -> !loaded.contains(id)).toList();
            m.put("after_not_loaded", missing.isEmpty() ? null : missing);
        }
        return m;
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }
}
