package caravan.store;

import java.time.Instant;

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
}
