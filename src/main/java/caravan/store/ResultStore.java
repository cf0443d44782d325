package caravan.store;

import caravan.http.Validators;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Where every item's result goes. Implementations are safe to call from parallel branches. */
public interface ResultStore {

    /**
     * One item's content, as fetched. {@code validators}: what makes the item's next GET conditional, to be remembered
     * with this content when it is the item's latest; null when there is nothing new to remember.
     */
    record NewResult(String jobId, String runId, String itemKey, String payload, Instant fetchedAt, Validators validators) {

        public NewResult(String jobId, String runId, String itemKey, String payload, Instant fetchedAt) {
            this(jobId, runId, itemKey, payload, fetchedAt, null);
        }
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

    /** Whether any item of the job has validators remembered: when none has, no item needs looking up. */
    default boolean remembersValidators(String jobId) {
        return false;
    }

    /**
     * The validators remembered with the item's latest stored content, or null when there are none, or when they came
     * with content that is no longer the item's latest.
     */
    default Validators validators(String jobId, String itemKey) {
        return null;
    }
}
