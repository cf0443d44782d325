package caravan.runs;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The states of a run and the moves between them; a run ends in exactly one terminal state. */
public enum RunStatus {
    RUNNING, SUCCEEDED, PARTIAL, FAILED, INTERRUPTED, SKIPPED;

    private static final Set<RunStatus> FROM_RUNNING = EnumSet.of(SUCCEEDED, PARTIAL, FAILED, INTERRUPTED);

    public boolean canMoveTo(RunStatus next) {
        return this == RUNNING && FROM_RUNNING.contains(next);
    }

    public boolean isTerminal() {
        return this != RUNNING;
    }

    /** The name stored in {@code job_run.status}. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The status a finished run earns from what happened to its items. */
    public static RunStatus of(int stored, int deadLettered, boolean runFailed) {
        if (runFailed) {
            return FAILED;
        }
        if (deadLettered == 0) {
            return SUCCEEDED;
        }
        return stored == 0 ? FAILED : PARTIAL;
    }
}
