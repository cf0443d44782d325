package caravan.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines one run logged while it ran, the first {@code max} of them; those after are counted, not kept, so that a
 * job logging every item of a large fan-out holds a bounded buffer.
 */
public final class RunLog {

    /** One log line: when, its level, the logger that wrote it, and its message (with its exception, if any). */
    public record Line(Instant at, String level, String logger, String message) {
    }

    /** Keeps nothing: a run begun without a log (tests, or {@code caravan.runs.log-lines=0}). */
    public static final RunLog NONE = new RunLog(0);

    private final int max;
    private final List<Line> lines = new ArrayList<>();
    private int dropped;

    public RunLog(int max) {
        this.max = max;
    }

    public synchronized void add(Line line) {
        if (lines.size() < max) {
            lines.add(line);
        } else if (max > 0) {
            dropped++;
        }
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Lines logged after the first {@code max}. */
    public synchronized int dropped() {
        return dropped;
    }
}
