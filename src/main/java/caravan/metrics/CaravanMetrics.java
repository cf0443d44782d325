package caravan.metrics;

import caravan.http.HostLimiter;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RunListener;
import caravan.runs.RunStatus;
import caravan.store.DeadLetterKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caravan's meters in one Prometheus registry: runs by job and status with their duration, items stored and
 * dead-lettered (and dead letters by kind), HTTP requests by host and status with latency ({@link HttpMetrics}),
 * redeliveries ({@link RetryMetrics}), runs in progress, each job's last success, and the JVM.
 */
public final class CaravanMetrics implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(CaravanMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile Function<String, Map<DeadLetterKind, Integer>> deadLetterKinds = runId -> Map.of();
    /** Each job's newest succeeded run's end, in epoch milliseconds, behind its gauge. */
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public CaravanMetrics(ActiveRuns active) {
        Gauge.builder("caravan.runs.active", active, a -> a.all().size())
                .description("Runs in progress on this node").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The HTTP limiter's requests in flight and queued, all hosts together: a full queue holds the fan-outs back. */
    public void limiter(HostLimiter limiter) {
        Gauge.builder("caravan.http.in.flight", limiter, HostLimiter::inFlight)
                .description("HTTP requests in flight, all hosts together").register(registry);
        Gauge.builder("caravan.http.waiting", limiter, HostLimiter::waiting)
                .description("HTTP requests queued for a free slot, all hosts together").register(registry);
    }

    @Override
    public void runEnded(JobRun run) {
        String status = run.status().dbName();
        Counter.builder("caravan.runs").description("Runs that ended, by job and status")
                .tags("job", run.jobId(), "status", status).register(registry).increment();
        if (run.startedAt() != null && run.finishedAt() != null) {
            Timer.builder("caravan.run.duration").description("How long runs took, by job and status")
                    .tags("job", run.jobId(), "status", status).register(registry)
                    .record(Duration.between(run.startedAt(), run.finishedAt()));
        }
        Counter.builder("caravan.items.stored").description("Items stored as results")
                .tags("job", run.jobId()).register(registry).increment(run.itemsTotal() - run.itemsFailed());
        Counter.builder("caravan.items.dead.lettered").description("Items that ended as dead letters")
                .tags("job", run.jobId()).register(registry).increment(run.itemsFailed());
        countDeadLetters(run);
        if (run.status() == RunStatus.SUCCEEDED && run.finishedAt() != null) {
            succeeded(run.jobId(), run.finishedAt());
        }
    }

    /**
     * The jobs' last successes known before this node's runs (from {@code job_run} at start), so that a restart does
     * not look like a job that never succeeded. In a cluster each node sees the runs it ran since: the newest over
     * the nodes is the job's.
     */
    public void lastSuccesses(Map<String, Instant> byJob) {
        byJob.forEach(this::succeeded);
    }

    /** A job's success, as a gauge of its end in epoch seconds: what an alert on a job gone stale compares to now. */
    private void succeeded(String jobId, Instant finishedAt) {
        lastSuccess.computeIfAbsent(jobId, job -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("caravan.job.last.success.timestamp", millis, m -> m.get() / 1000.0)
                    .description("When the job's newest succeeded run ended, in seconds since the epoch")
                    .baseUnit("seconds").tags("job", job).register(registry);
            return millis;
        }).accumulateAndGet(finishedAt.toEpochMilli(), Math::max);
    }

    /** Where a run's dead letters are counted by kind once it has ended: the store, which has them all. */
    public void deadLetterKinds(Function<String, Map<DeadLetterKind, Integer>> byRun) {
        this.deadLetterKinds = byRun;
    }

    /**
     * Every kind's counter of the job, zero ones included: a series that appears only with its first dead letter
     * would hide that increase from Prometheus's {@code increase()}.
     */
    private void countDeadLetters(JobRun run) {
        Map<DeadLetterKind, Integer> counts = Map.of();
        if (run.itemsFailed() > 0) {
            try {
                counts = deadLetterKinds.apply(run.runId());
            } catch (RuntimeException e) {
                LOG.warn("Cannot count the dead letters of run {} by kind for the metrics: {}", run.runId(), e.getMessage());
            }
        }
        for (DeadLetterKind kind : DeadLetterKind.values()) {
            Counter.builder("caravan.dead.letters").description("Dead letters by job and failure kind")
                    .tags("job", run.jobId(), "kind", kind.column()).register(registry)
                    .increment(counts.getOrDefault(kind, 0));
        }
    }

    /** One run notification delivered to the webhook, or given up on. */
    public void notification(boolean delivered) {
        Counter.builder("caravan.notifications").description("Run notifications, by outcome (delivered or failed)")
                .tags("outcome", delivered ? "delivered" : "failed").register(registry).increment();
    }

    /** Scheduled fires a job missed (downtime, pause, failover), whatever its catch-up policy then ran. */
    public void missedFires(String jobId, int missed) {
        Counter.builder("caravan.fires.missed").description("Scheduled fires missed, by job; the catch-up policy decides what runs")
                .tags("job", jobId).register(registry).increment(missed);
    }

    public HttpMetrics http() {
        return new HttpMetrics(registry);
    }

    public RetryMetrics retries() {
        return new RetryMetrics(registry);
    }

    /** The Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }
}
