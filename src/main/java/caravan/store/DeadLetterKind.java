package caravan.store;

import caravan.http.FailureKind;
import caravan.runs.RunCutoff;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Why an item failed for good, as {@code dead_letter.failure_kind}: what an operator filters on, and what tells an
 * automatic retry later which items another try can help. Decided once, from the exception itself, when the dead
 * letter is written; the error text is for people.
 */
public enum DeadLetterKind {
    /** Connection errors, timeouts, HTTP 5xx, 408 and 429 that outlasted the item's attempts: may pass later. */
    TRANSIENT,
    /** The site said no (another 4xx, a 3xx not followed) or a step of the job failed (a selector, a parse, a bug). */
    PERMANENT,
    /** Caravan would not send it: robots.txt disallows it, or the URL is invalid. */
    REFUSED,
    /** Not sent because the run passed its timeout or was cancelled. */
    CUT_OFF,
    /** A retry run was asked to redo it and no item with its key came up. */
    NOT_RETRIED;

    /** The kinds an automatic retry redoes: the others would fail the same way again. */
    public boolean worthRetryingLater() {
        return this == TRANSIENT || this == CUT_OFF;
    }

    /** As stored and shown: {@code transient}, {@code cut_off}, ... */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind {@link #column()} names; an unknown name is refused with the names there are. */
    public static DeadLetterKind fromColumn(String name) {
        for (DeadLetterKind kind : values()) {
            if (kind.column().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a kind of dead letter: use one of "
                + Arrays.stream(values()).map(DeadLetterKind::column).collect(Collectors.joining(", ")));
    }

    public static DeadLetterKind of(Throwable failure) {
        FailureKind.PermanentFailure refused = FailureKind.cause(failure, FailureKind.PermanentFailure.class);
        if (refused != null && FailureKind.httpStatus(failure) == null) {
            return RunCutoff.isRefusal(refused.getMessage()) ? CUT_OFF : REFUSED;
        }
        return FailureKind.of(failure) == FailureKind.TRANSIENT ? TRANSIENT : PERMANENT;
    }
}
