package caravan.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest stored content hash of recently stored items, so that change detection need not read it back from the
 * database for every result. Valid only while this daemon is the only writer of its jobs' results (not in cluster
 * mode, where a job's runs move between nodes); filled only with what was committed. Least recently used entries
 * go first beyond {@code capacity} (0: holds nothing); a miss is read from the database as before.
 */
final class LatestHashes {

    private final int capacity;
    private final Map<String, String> hashes;

    LatestHashes(int capacity) {
        this.capacity = capacity;
        this.hashes = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > LatestHashes.this.capacity;
            }
        };
    }

    /** The cached hash of the item, or null when it is not cached (which says nothing about the database). */
    synchronized String get(String itemKey) {
        return capacity > 0 ? hashes.get(itemKey) : null;
    }

    /** Records what a committed transaction wrote: item key to its latest hash. */
    synchronized void committed(Map<String, String> latest) {
        if (capacity > 0) {
            latest.forEach((key, hash) -> {
                if (hash != null) {
                    hashes.put(key, hash);
                }
            });
        }
    }
}
