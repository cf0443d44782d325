package caravan.runs;

import caravan.config.Secrets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parameters of a run triggered by hand ({@code caravan trigger JOB --param site=example.org}): exchange properties
 * of the run, so a job reads {@code ${exchangeProperty.site}}. Properties, not headers: camel-http would send a
 * header to the site. Carried from the trigger to the run in the fire's Quartz data, under {@link #DATA_PREFIX}.
 */
public final class RunParams {

    /** The prefix of a parameter's key in the fire's Quartz data. */
    static final String DATA_PREFIX = "caravan.param.";

    static final int MAX_PARAMS = 20;
    static final int MAX_VALUE = 2000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private RunParams() {
    }

    /** {@code NAME=VALUE} pairs, in order; a malformed or reserved one is refused with what to write instead. */
    public static Map<String, String> parse(String... pairs) {
        if (pairs == null || pairs.length == 0) {
            return Map.of();
        }
        if (pairs.length > MAX_PARAMS) {
            throw new IllegalArgumentException("At most " + MAX_PARAMS + " parameters may be given, not " + pairs.length);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair == null ? -1 : pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Parameter '" + pair + "' is not NAME=VALUE: write e.g. site=example.org");
            }
            String name = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Parameter name '" + name + "' is not allowed: start with a letter, then"
                        + " letters, digits or _ (at most 64)");
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("camel") || lower.startsWith("caravan")) {
                throw new IllegalArgumentException("Parameter name '" + name + "' is reserved (names starting with Camel or"
                        + " Caravan are Camel's and Caravan's own): choose another");
            }
            if (value.length() > MAX_VALUE) {
                throw new IllegalArgumentException("Parameter '" + name + "' is longer than " + MAX_VALUE + " characters");
            }
            if (params.put(name, value) != null) {
                throw new IllegalArgumentException("Parameter '" + name + "' is given twice");
            }
        }
        return Collections.unmodifiableMap(params);
    }

    /** Puts the parameters into a fire's Quartz data, where {@link #of} reads them. */
    public static void into(Map<String, Object> data, Map<String, String> params) {
        params.forEach((name, value) -> data.put(DATA_PREFIX + name, value));
    }

    /** The parameters in a fire's Quartz data, by name; empty for a fire without any. */
    public static Map<String, String> of(Map<?, ?> data) {
        if (data == null) {
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if (k instanceof String key && key.startsWith(DATA_PREFIX) && v != null) {
                params.put(key.substring(DATA_PREFIX.length()), v.toString());
            }
        });
        return params;
    }

    /** The parameters as {@code job_run.params} records them: every configured secret in a value masked. */
    public static Map<String, String> recorded(Map<String, String> params, Secrets secrets) {
        Map<String, String> recorded = new LinkedHashMap<>();
        params.forEach((name, value) -> recorded.put(name, secrets.mask(value)));
        return recorded;
    }
}
