package caravan.runs;

import java.util.concurrent.atomic.AtomicInteger;

/** Live item counters of one run, bumped from parallel branches. */
public final class RunCounts {

    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicInteger deadLettered = new AtomicInteger();
    private final AtomicInteger changed = new AtomicInteger();
    private volatile String lastDeadLetterError;

    public void stored(boolean isChange) {
        stored.incrementAndGet();
        if (isChange) {
            changed.incrementAndGet();
        }
    }

    public void addDeadLetter(String error) {
        lastDeadLetterError = error;
        deadLettered.incrementAndGet();
    }

    public int stored() {
        return stored.get();
    }

    public int deadLettered() {
        return deadLettered.get();
    }

    public int changed() {
        return changed.get();
    }

    /** Why the latest dead letter failed: the error of a run whose every item failed. */
    public String lastDeadLetterError() {
        return lastDeadLetterError;
    }

    public int total() {
        return stored.get() + deadLettered.get();
    }
}
