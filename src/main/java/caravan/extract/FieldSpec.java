package caravan.extract;

import java.util.Set;

/**
 * One output field: {@code "css selector"} (text of the first match), {@code "css selector @attr"} (an attribute),
 * a name ending in {@code []} for every match, or a JSONPath ({@code "$.a.b"}) for JSON bodies.
 */
public record FieldSpec(String name, String selector, String attribute, boolean list, boolean jsonPath) {

    /** Attributes that hold links, resolved against the page's URL. */
    static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "data-src", "poster", "cite", "background");

    public static FieldSpec parse(String rawName, String rawValue) {
        if (rawValue == null || rawValue.isBlank()) {
            throw new IllegalArgumentException("Field '" + rawName + "' has no selector: write " + rawName
                    + ": \"css selector\" or \"css selector @attribute\" or \"$.json.path\"");
        }
        boolean list = rawName.endsWith("[]");
        String name = list ? rawName.substring(0, rawName.length() - 2) : rawName;
        String value = rawValue.trim();
        if (value.startsWith("$")) {
            return new FieldSpec(name, value, null, list, true);
        }
        int at = value.lastIndexOf(" @");
        if (value.startsWith("@")) {
            return new FieldSpec(name, "", value.substring(1).trim(), list, false);
        }
        if (at < 0) {
            return new FieldSpec(name, value, null, list, false);
        }
        return new FieldSpec(name, value.substring(0, at).trim(), value.substring(at + 2).trim(), list, false);
    }
}
