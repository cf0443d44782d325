package caravan.runs;

import caravan.config.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Records every run of a job: a {@code running} row when the fire reaches the route, then the final status and
 * counts when the exchange completes (an on-completion of the run's exchange). Installed on job routes (those consuming from {@code quartz:}).
 * <p>
 * Deliberately not a {@code RoutePolicySupport}: that is a service, one instance is shared by every job route, and
 * Camel skips a stopped policy's callbacks, so stopping one route (reload, shutdown) would stop recording runs that
 * are still finishing.
 */
public final class RunRecorder implements RoutePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    /** The header camel-quartz sets to the fire's job instance: the no-overlap claim's token. */
    private static final String QUARTZ_FIRE_HEADER = "jobInstance";

    public static final String INTERRUPTED_BY_STOP = "the daemon stopped before the run finished";
    /** The dead letter of an item a retry run was asked to redo and never met. */
    public static final String NOT_RETRIED = "not retried: no item with this key came up in the retry run"
            + " (the job's items may no longer include it)";

    private final RunRepository runs;
    private final ActiveRuns active;
    private final String nodeId;
    private final Clock clock;
    private final Function<Route, Duration> runTimeouts;
    private final java.util.List<RunListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RetryItems.Source retries;
    private final Secrets secrets;
    private final RunLogs logs;
    private volatile BiPredicate<String, RunStatus> chained = (jobId, status) -> false;

    /**
     * {@code runTimeouts}: a job's run timeout from its route, null or zero for none; {@code retries}: where a retry
     * run reads the dead letters it redoes; {@code secrets}: masked in the parameters recorded with a run;
     * {@code logs}: where each run's log lines are kept when it ends.
     */
    public RunRecorder(RunRepository runs, ActiveRuns active, String nodeId, Clock clock,
            Function<Route, Duration> runTimeouts, RetryItems.Source retries, Secrets secrets, RunLogs logs) {
        this.logs = logs;
        this.runs = runs;
        this.active = active;
        this.nodeId = nodeId;
        this.clock = clock;
        this.runTimeouts = runTimeouts;
        this.retries = retries;
        this.secrets = secrets;
    }

    public void addListener(RunListener listener) {
        listeners.add(listener);
    }

    /**
     * Which ends of which jobs have jobs chained after them: such an end is recorded as pending its chained runs, in
     * the statement that ends the run, until they are scheduled.
     */
    public void chainsAfter(BiPredicate<String, RunStatus> chained) {
        this.chained = chained;
    }

    public static String newRunId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        String jobId = route.getRouteId();
        Map<?, ?> data = exchange.getIn().getHeader("mergedJobDataMap", Map.class);
        String runId = stringOr(data, RunHeaders.DATA_RUN_ID, null);
        if (runId == null) {
            runId = newRunId();
        }
        TriggerType trigger = TriggerType.fromDb(stringOr(data, RunHeaders.DATA_TRIGGER, TriggerType.SCHEDULE.dbName()));
        long startNanos = System.nanoTime();
        Instant now = clock.instant();
        Instant scheduledAt = scheduledAt(exchange, data, trigger, now);
        // a retry fire, and the recovery of one (its fire's data is the retry's), redoes another run's dead letters
        String retryOf = stringOr(data, RunHeaders.DATA_RETRY_OF, null);
        Map<String, String> params = RunParams.of(data);
        String afterRun = stringOr(data, RunHeaders.DATA_AFTER_RUN, null);
        JobRun run = JobRun.started(runId, jobId, trigger, scheduledAt, nodeId, now, retryOf,
                RunParams.recorded(params, secrets), afterRun);
        try {
            runs.insert(run);
        } catch (RuntimeException e) {
            LOG.error("Job {}: cannot record the start of run {}; the run is not started: {}", jobId, runId, e.getMessage());
            exchange.setException(e);
            exchange.setRouteStop(true);
            return;
        }
        RunCutoff cutoff = new RunCutoff(jobId, runId, runTimeouts.apply(route), startNanos);
        RetryItems retry = null;
        RuntimeException retryFailure = null;
        if (retryOf != null) {
            try {
                boolean automatic = data.containsKey(RunHeaders.DATA_RETRY_AUTOMATIC);
                retry = new RetryItems(retryOf, retries.deadLetterKeys(retryOf, automatic));
            } catch (RuntimeException e) {
                retryFailure = new IllegalStateException("cannot read the dead letters of run " + retryOf + " to retry: "
                        + e.getMessage(), e);
            }
        }
        active.begin(run, cutoff, retry, logs.open());
        exchange.setProperty(RunCutoff.PROPERTY, cutoff);
        if (retry != null) {
            exchange.setProperty(RetryItems.OF_PROPERTY, retryOf);
            exchange.setProperty(RetryItems.PROPERTY, retry.keys());
        }
        exchange.setProperty(RunHeaders.JOB_ID, jobId);
        exchange.setProperty(RunHeaders.RUN_ID, runId);
        exchange.setProperty(RunHeaders.TRIGGER, trigger.dbName());
        if (afterRun != null) {
            exchange.setProperty(RunHeaders.AFTER_RUN, afterRun);
            exchange.setProperty(RunHeaders.AFTER_JOB, stringOr(data, RunHeaders.DATA_AFTER_JOB, null));
        }
        params.forEach(exchange::setProperty);
        exchange.getIn().setHeader(RunHeaders.JOB_ID, jobId);
        exchange.getIn().setHeader(RunHeaders.RUN_ID, runId);
        exchange.getIn().setHeader(RunHeaders.TRIGGER, trigger.dbName());
        exchange.getIn().setHeader(RunHeaders.FIRE_TIME, scheduledAt.toString());
        MDC.put(RunHeaders.MDC_JOB, jobId);
        MDC.put(RunHeaders.MDC_RUN, runId);
        // Ended from an on-completion, not onExchangeDone: Camel skips route policies' done while it is stopping,
        // and a run that finishes within the shutdown timeout must be recorded as it ended.
        Object fire = exchange.getIn().getHeader(QUARTZ_FIRE_HEADER);
        RunHeaders.QUARTZ.forEach(exchange.getIn()::removeHeader);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                // The work is done: the job is free for its next fire before the run's end is written, so that a
                // trigger sent by whoever saw that end is never skipped as an overlap.
                active.release(jobId, fire);
                finish(done);
            }

            @Override
            public boolean allowHandover() {
                // a seda/wireTap copy must not end the run when it completes
                return false;
            }
        });
        if (retryFailure != null) {
            exchange.setException(retryFailure);
            exchange.setRouteStop(true);
        }
        LOG.debug("Run {} of job {} started ({}, for {})", runId, jobId, trigger.dbName(), scheduledAt);
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
    }

    private void finish(Exchange exchange) {
        String runId = exchange.getProperty(RunHeaders.RUN_ID, String.class);
        ActiveRun run = active.end(runId);
        if (run == null) {
            return;
        }
        try {
            finish(exchange, run);
        } finally {
            active.forget(runId);
        }
    }

    /**
     * Keeps what the run logged, its ending included, before its end is written: whoever sees the run ended finds
     * its log there. The line saying how it ended comes after, and is not among them (its row says it).
     */
    public void keepLog(ActiveRun run) {
        try {
            logs.keep(run.run(), run.log());
        } catch (RuntimeException e) {
            LOG.warn("Cannot record the log lines of run {} of job {}: {}", run.run().runId(), run.run().jobId(),
                    e.getMessage());
        } finally {
            active.forget(run.run().runId());
        }
    }

    private void finish(Exchange exchange, ActiveRun run) {
        String runId = run.run().runId();
        MDC.put(RunHeaders.MDC_JOB, run.run().jobId());
        MDC.put(RunHeaders.MDC_RUN, runId);
        RunCounts counts = run.counts();
        Throwable failure = exchange.getException();
        if (run.retry() != null && failure == null) {
            recordNotRetried(run); // not when the run failed or was cut by a stop: its error says why items are missing
        }
        boolean cutByStop = failure != null && exchange.getContext().getShutdownStrategy().isForceShutdown();
        RunStatus status = cutByStop ? RunStatus.INTERRUPTED : RunStatus.of(counts.stored(), counts.deadLettered(), failure != null);
        String error = cutByStop ? INTERRUPTED_BY_STOP + " (" + describe(failure) + ")"
                : failure != null ? describe(failure)
                : status == RunStatus.FAILED ? "all " + counts.deadLettered() + " items were dead-lettered, the last with "
                        + counts.lastDeadLetterError() : null;
        if (!cutByStop && run.cutoff().refused() > 0) {
            error = run.cutoff().summary() + (error == null ? "" : "; " + error);
        }
        Instant finished = clock.instant();
        keepLog(run);
        try {
            runs.finish(runId, status, counts, error, finished, chained.test(run.run().jobId(), status));
            JobRun started = run.run();
            tell(started.ended(finished, status, counts.total(), counts.deadLettered(), counts.changed(), error));
            LOG.info("Run {} of job {} {} in {} ms: {} items, {} stored, {} dead-lettered, {} changed{}", runId,
                    run.run().jobId(), status.dbName(), finished.toEpochMilli() - run.run().startedAt().toEpochMilli(),
                    counts.total(), counts.stored(), counts.deadLettered(), counts.changed(),
                    error == null ? "" : " (" + error + ")");
        } catch (IllegalStateException e) {
            // The run was already ended elsewhere (marked interrupted at shutdown): keep that status.
            LOG.warn("{}; its late completion as {} is not recorded", e.getMessage(), status.dbName());
        } catch (RuntimeException e) {
            LOG.error("Cannot record the end of run {} of job {}: {}", runId, run.run().jobId(), e.getMessage());
        } finally {
            MDC.remove(RunHeaders.MDC_JOB);
            MDC.remove(RunHeaders.MDC_RUN);
        }
    }

    /**
     * A retry run's items that never came up (the job's items no longer include them, or name them otherwise) become
     * dead letters of the retry run, so that each item it was asked to redo ends as a result or a dead letter.
     */
    private void recordNotRetried(ActiveRun run) {
        java.util.List<String> missing = run.retry().notEnded();
        if (missing.isEmpty()) {
            return;
        }
        String why = NOT_RETRIED;
        try {
            retries.notRetried(run.run(), run.retry().retryOf(), missing, why);
            missing.forEach(k -> run.counts().addDeadLetter(why));
            LOG.warn("Run {} of job {}: {} of the {} item(s) dead-lettered in run {} did not come up, and are dead letters"
                    + " of this run again (first: {})", run.run().runId(), run.run().jobId(), missing.size(),
                    run.retry().keys().size(), run.retry().retryOf(), missing.get(0));
        } catch (RuntimeException e) {
            LOG.error("Run {} of job {}: cannot record the {} item(s) of run {} that did not come up: {}", run.run().runId(),
                    run.run().jobId(), missing.size(), run.retry().retryOf(), e.getMessage());
        }
    }

    @Override
    public void onInit(Route route) {
    }

    @Override
    public void onRemove(Route route) {
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    private void tell(JobRun ended) {
        for (RunListener l : listeners) {
            try {
                l.runEnded(ended);
            } catch (RuntimeException e) {
                LOG.warn("Run listener {} failed on run {}: {}", l, ended.runId(), e.getMessage());
            }
        }
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Instant scheduledAt(Exchange exchange, Map<?, ?> data, TriggerType trigger, Instant now) {
        String fire = stringOr(data, RunHeaders.DATA_FIRE_TIME, null);
        if (fire != null) {
            return Instant.parse(fire);
        }
        if (trigger == TriggerType.MANUAL || trigger == TriggerType.RETRY) {
            return now;
        }
        Date scheduled = exchange.getIn().getHeader("scheduledFireTime", Date.class);
        return scheduled != null ? scheduled.toInstant() : now;
    }

    private static String stringOr(Map<?, ?> data, String key, String fallback) {
        Object value = data == null ? null : data.get(key);
        return value == null ? fallback : value.toString();
    }
}
