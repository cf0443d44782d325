package caravan.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code caravan.*} keys that no setting reads, said at start: a misspelt key is otherwise silently ignored (a
 * {@code caravan.notify.urll} would leave a daemon without the notifications its operator set up).
 */
public final class UnknownSettings {

    private UnknownSettings() {
    }

    /** One warning per unknown key, with the known key it is closest to when one is near. */
    public static List<String> warnings(Collection<String> writtenKeys) {
        List<String> warnings = new ArrayList<>();
        for (String key : writtenKeys) {
            if (Settings.KNOWN_KEYS.contains(key) || Settings.KEY_FAMILIES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String near = closest(key);
            warnings.add(key + " is not a Caravan setting and is ignored: "
                    + (near != null ? "did you mean " + near + "?" : "see the README's configuration table"));
        }
        return warnings;
    }

    /** The known key within a few edits of {@code key}, or null. */
    static String closest(String key) {
        String best = null;
        int bestDistance = Math.max(2, key.length() / 6) + 1;
        for (String known : Settings.KNOWN_KEYS) {
            int d = distance(key, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
