package caravan.runs;

import java.util.Locale;

/** Why a run started. */
public enum TriggerType {
    SCHEDULE, MANUAL, RECOVERY, CATCHUP, BACKFILL,
    /** Fired by an operator to redo the items another run dead-lettered ({@link RetryItems}). */
    RETRY,
    /** Fired by the end of a run of a job that this job is chained after (its {@code after} option). */
    AFTER;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TriggerType fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
