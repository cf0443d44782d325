package caravan.runs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Lets a caller wait for a run to end (the CLI's {@code trigger --wait}) instead of polling the history. */
public final class RunEnds implements RunListener {

    private final RunRepository runs;
    private final Map<String, CompletableFuture<JobRun>> waiting = new ConcurrentHashMap<>();

    public RunEnds(RunRepository runs) {
        this.runs = runs;
    }

    @Override
    public void runEnded(JobRun run) {
        CompletableFuture<JobRun> ended = waiting.remove(run.runId());
        if (ended != null) {
            ended.complete(run);
        }
    }

    /**
     * The run once it has ended, or as it stands after {@code timeout} (still running, or empty when no run has that
     * id yet: a triggered run is recorded when it starts).
     */
    public Optional<JobRun> await(String runId, Duration timeout) throws InterruptedException {
        CompletableFuture<JobRun> ended = waiting.computeIfAbsent(runId, id -> new CompletableFuture<>());
        JobRun now = runs.find(runId);
        if (now != null && now.status() != RunStatus.RUNNING) {
            waiting.remove(runId, ended);
            return Optional.of(now);
        }
        try {
            return Optional.of(ended.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            waiting.remove(runId, ended); // another waiter of the same run then sees its end in the database
            return Optional.ofNullable(runs.find(runId));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
