package caravan.runs;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * What a retry run was asked to redo: the keys of the items another run dead-lettered, and which of them have ended
 * in this run as a result or a dead letter. The keys ride on the run's exchange as the property {@link #PROPERTY} (a
 * read-only set, for a job's own {@code filter} or {@code split}); a request of an item under a key outside them is
 * not sent ({@link #skips}), and an item that never came up is recorded as a dead letter of the retry run at its end.
 */
public final class RetryItems {

    /** The exchange property holding the keys to redo, a {@code Set<String>}; only on a retry run. */
    public static final String PROPERTY = "CaravanRetryItems";
    /** The exchange property holding the run whose dead letters are retried; only on a retry run. */
    public static final String OF_PROPERTY = "CaravanRetryOf";
    /** On an item of a retry run once its first request was let through. */
    private static final String LET_THROUGH = "CaravanRetryLetThrough";

    private final String retryOf;
    private final Set<String> keys;
    private final Set<String> ended = ConcurrentHashMap.newKeySet();

    public RetryItems(String retryOf, Set<String> keys) {
        this.retryOf = retryOf;
        this.keys = Collections.unmodifiableSet(keys);
    }

    public String retryOf() {
        return retryOf;
    }

    public Set<String> keys() {
        return keys;
    }

    /** The item ended in this run, as a result or a dead letter. */
    public void ended(String itemKey) {
        if (itemKey != null && keys.contains(itemKey)) {
            ended.add(itemKey);
        }
    }

    /** The keys asked for that have not ended in this run, in no particular order. */
    public List<String> notEnded() {
        return keys.stream().filter(k -> !ended.contains(k)).toList();
    }

    /**
     * Whether a retry run leaves this request's item alone, at the item's first request in the run: when the item is
     * named by {@code CaravanItemKey} outside the keys, or, not named, is a branch of a split, multicast or recipient
     * list whose request goes to a URI outside them (an unnamed item is keyed by its URI). A request of the run's own
     * exchange (the list of items, a page) is always sent, and so is every later request of an item let through.
     */
    public static boolean skips(Exchange exchange, String uri) {
        if (!(exchange.getProperty(PROPERTY) instanceof Set<?> wanted) || exchange.getProperty(LET_THROUGH) != null) {
            return false;
        }
        Object key = exchange.getMessage().getHeader(RunHeaders.ITEM_KEY);
        String named = key != null ? key.toString() : isBranch(exchange) ? uri : null;
        if (named == null) {
            return false;
        }
        if (!wanted.contains(named)) {
            return true;
        }
        exchange.setProperty(LET_THROUGH, Boolean.TRUE);
        return false;
    }

    private static boolean isBranch(Exchange exchange) {
        return exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX) != null
                || exchange.getProperty(ExchangePropertyKey.MULTICAST_INDEX) != null;
    }

    /** Where a retry run reads the items to redo, and records those it could not. */
    public interface Source {

        /**
         * The keys of the items the run dead-lettered (each once). {@code later}: only those another try can help,
         * by the kind each dead letter was recorded with: a transient failure, or a request held back by the run's
         * timeout or cancel.
         */
        Set<String> deadLetterKeys(String runId, boolean later);

        /** Records each item as a dead letter of {@code retry}, with its endpoint and payload from {@code retryOf}. */
        void notRetried(JobRun retry, String retryOf, List<String> itemKeys, String error);
    }
}
