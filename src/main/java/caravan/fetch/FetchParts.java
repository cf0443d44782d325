package caravan.fetch;

import caravan.config.RetrySettings;
import caravan.config.Secrets;
import caravan.http.PoliteGet;
import caravan.runs.ActiveRuns;
import caravan.store.DeadLetterStore;
import caravan.store.ResultStore;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a fetch step works with: the polite client, the stores, the live runs, and where it goes on after a commit
 * ({@code continuation}, never the writer's thread) and waits for a retry ({@code timer}, holding no thread).
 * {@code retry} is null outside the daemon: one attempt per item.
 */
record FetchParts(PoliteGet http, ResultStore results, DeadLetterStore deadLetters, ActiveRuns runs, Secrets secrets,
        Executor continuation, ScheduledExecutorService timer, RetrySettings retry) {
}
