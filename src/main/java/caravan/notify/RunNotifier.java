package caravan.notify;

import caravan.config.NotifySettings;
import caravan.config.Secrets;
import caravan.jmx.Json;
import caravan.runs.JobRun;
import caravan.runs.RunListener;
import caravan.runs.RunStatus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a webhook (a chat's incoming webhook, an alerting service) of each run that ends with one of the chosen
 * statuses: a JSON POST with a one-line {@code text} and the run's fields. Off the run's thread; an answer other
 * than 2xx or no answer is tried again twice, then logged. Logs name the URL's host only: a webhook URL's path is
 * often its secret.
 */
public final class RunNotifier implements RunListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunNotifier.class);
    static final int ATTEMPTS = 3;

    /** Told of each notification's fate: delivered, or given up after its last attempt. */
    @FunctionalInterface
    public interface Outcomes {
        void record(boolean delivered);
    }

    private final NotifySettings settings;
    private final Secrets secrets;
    private final Outcomes outcomes;
    private final PreviousStatus previous;
    private final List<Duration> retryDelays;
    private final HttpClient client;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-notify");
        t.setDaemon(true);
        return t;
    });

    /** The status of the job's run that ended before this one (skipped runs left out), null for its first. */
    @FunctionalInterface
    public interface PreviousStatus {
        RunStatus of(JobRun run);
    }

    public RunNotifier(NotifySettings settings, Secrets secrets, Outcomes outcomes, PreviousStatus previous) {
        this(settings, secrets, outcomes, previous, List.of(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    RunNotifier(NotifySettings settings, Secrets secrets, Outcomes outcomes, PreviousStatus previous,
            List<Duration> retryDelays) {
        this.previous = previous;
        this.outcomes = outcomes;
        this.settings = settings;
        this.secrets = secrets;
        this.retryDelays = retryDelays;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    @Override
    public void runEnded(JobRun run) {
        boolean chosen = settings.on().contains(run.status());
        // with on-change, a success may be a recovery, told whatever caravan.notify.on says
        if (!chosen && !(settings.onChange() && run.status() == RunStatus.SUCCEEDED)) {
            return;
        }
        try {
            // decided on the notifier's thread too: the look-up of the job's run before is off the run's thread
            sender.execute(() -> {
                String body = body(run, chosen);
                if (body != null) {
                    send(run, body, 1);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.warn("Run {} of job {} ended {} after the notifications to {} stopped", run.runId(), run.jobId(),
                    run.status().dbName(), host());
        }
    }

    /**
     * What to post of the run, null for nothing. Every chosen run, or with on-change: a chosen run whose status is
     * not its job's run before's, and a success after a chosen status other than success (a recovery). Skipped runs
     * say nothing of a job's health and are told every time they are chosen.
     */
    private String body(JobRun run, boolean chosen) {
        if (!settings.onChange() || run.status() == RunStatus.SKIPPED) {
            return chosen ? masked(run, null) : null;
        }
        RunStatus before;
        try {
            before = previous.of(run);
        } catch (RuntimeException e) {
            // a chosen run is told rather than lost; a success that is not chosen could only be told as a recovery
            LOG.warn("Cannot read the status of job {}'s run before run {} ({}){}", run.jobId(), run.runId(),
                    e.getMessage(), chosen ? "; telling it" : "");
            return chosen ? masked(run, null) : null;
        }
        if (before == run.status()) {
            LOG.debug("Run {} of job {} ended {} as the run before it: not told again", run.runId(), run.jobId(),
                    run.status().dbName());
            return null;
        }
        boolean recovery = run.status() == RunStatus.SUCCEEDED && before != null && settings.on().contains(before);
        return chosen || recovery ? masked(run, before) : null;
    }

    /** The message as posted: JSON, every secret masked. */
    private String masked(JobRun run, RunStatus before) {
        return secrets.mask(Json.write(message(run, before)));
    }

    /**
     * A one-line {@code text} for chats, then the run's row as the MBean's history gives it; with on-change, the
     * status of the job's run before as {@code previous_status} (null for a first run).
     */
    static Map<String, Object> message(JobRun run, RunStatus before) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean recovery = run.status() == RunStatus.SUCCEEDED && before != null;
        m.put("text", "Caravan: job " + run.jobId() + " " + (recovery ? "recovered (was " + before.dbName() + "), " : "")
                + run.status().dbName() + ": " + run.itemsTotal() + " items, "
                + run.itemsFailed() + " dead-lettered" + (run.error() == null ? "" : " (" + run.error() + ")")
                + ", run " + run.runId());
        m.putAll(run.row());
        if (before != null) {
            m.put("previous_status", before.dbName());
        }
        return m;
    }

    private void send(JobRun run, String body, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (settings.authorization() != null) {
            request.header("Authorization", settings.authorization());
        }
        String why;
        try {
            // one at a time, on the notifier's own thread: notifications are few, and their order is the runs'
            int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                outcomes.record(true);
                return;
            }
            why = "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.io.IOException | RuntimeException e) {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + secrets.mask(e.getMessage()));
        }
        if (attempt < ATTEMPTS && !sender.isShutdown()) {
            Duration delay = retryDelays.get(Math.min(attempt - 1, retryDelays.size() - 1));
            LOG.debug("Notifying {} of run {} failed ({}); trying again in {} ms", host(), run.runId(), why, delay.toMillis());
            try {
                sender.schedule(() -> send(run, body, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                LOG.warn("Could not notify {} of run {} of job {} before the stop: {}", host(), run.runId(), run.jobId(), why);
            }
        } else {
            outcomes.record(false);
            LOG.warn("Could not notify {} of run {} of job {} ({}) after {} attempt(s): {}", host(), run.runId(),
                    run.jobId(), run.status().dbName(), attempt, why);
        }
    }

    /** The URL without its path and query, which may hold the webhook's secret. */
    public String host() {
        return settings.url().getScheme() + "://" + settings.url().getHost()
                + (settings.url().getPort() < 0 ? "" : ":" + settings.url().getPort());
    }

    /** Gives notifications under way a few seconds to be delivered; retries still waiting are dropped, and logged. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Stopping with run notifications to {} not delivered", host());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
    }
}
