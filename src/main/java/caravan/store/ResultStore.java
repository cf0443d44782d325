package caravan.store;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Where every item's result goes. Implementations are safe to call from parallel branches. */
public interface ResultStore {

    /** One item's content, as fetched. */
    record NewResult(String jobId, String runId, String itemKey, String payload, Instant fetchedAt) {
    }

    enum Outcome {
        /** First result for this item. */
        NEW,
        /** Content differs from the item's latest result. */
        CHANGED,
        /** Same content as the latest result, stored again. */
        UNCHANGED,
        /** Same content as the latest result, not stored (change detection). */
        SKIPPED_UNCHANGED;

        public boolean isChange() {
            return this == NEW || this == CHANGED;
        }
    }

    Outcome store(NewResult result, boolean skipUnchanged);

    /**
     * Stores the result and completes once it is durable, without holding the caller's thread meanwhile where the
     * store can; by default at once, on the caller's thread.
     */
    default CompletableFuture<Outcome> storeLater(NewResult result, boolean skipUnchanged) {
        try {
            return CompletableFuture.completedFuture(store(result, skipUnchanged));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * As {@link #storeLater}, for a thread that must not wait (an HTTP client's I/O thread): queues the result and
     * returns at once, or returns null when it cannot without waiting (and the caller stores it elsewhere). By
     * default it cannot.
     */
    default CompletableFuture<Outcome> storeWithoutWaiting(NewResult result, boolean skipUnchanged) {
        return null;
    }
}
