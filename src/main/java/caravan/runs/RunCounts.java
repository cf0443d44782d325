package caravan.runs;

import java.util.concurrent.atomic.AtomicInteger;

/** Live item counters of one run, bumped from parallel branches. */
public final class RunCounts {

    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicInteger deadLettered = new AtomicInteger();
    private final AtomicInteger changed = new AtomicInteger();

    public void stored(boolean isChange) {
        stored.incrementAndGet();
        if (isChange) {
            changed.incrementAndGet();
        }
    }

    public void addDeadLetter() {
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

    public int total() {
        return stored.get() + deadLettered.get();
    }
}
