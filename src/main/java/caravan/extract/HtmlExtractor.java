package caravan.extract;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.Selector;

/**
 * Turns a page into a record: one value per field, {@code null} where nothing matches. With a record selector,
 * one record per match, fields relative to it. Camel-free so it can be tested on its own.
 */
public final class HtmlExtractor {

    private static final Configuration JSON = Configuration.defaultConfiguration()
            .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);

    private final List<FieldSpec> fields;
    private final String recordSelector;

    public HtmlExtractor(List<FieldSpec> fields, String recordSelector) {
        this.fields = List.copyOf(fields);
        this.recordSelector = recordSelector;
        for (FieldSpec f : fields) {
            if (!f.jsonPath() && !f.selector().isEmpty()) {
                validateSelector(f.name(), f.selector());
            }
        }
        if (recordSelector != null && !recordSelector.startsWith("$")) {
            validateSelector("each", recordSelector);
        }
    }

    private static void validateSelector(String field, String css) {
        try {
            new Document("").select(css);
        } catch (Selector.SelectorParseException e) {
            throw new IllegalArgumentException("Field '" + field + "': '" + css + "' is not a valid CSS selector: " + e.getMessage());
        }
    }

    /** One record for the page, or a list of records when a record selector is set. */
    public Object extract(String body, String baseUri) {
        if (looksLikeJson(body)) {
            return extractJson(body);
        }
        Document doc = Jsoup.parse(body == null ? "" : body, baseUri == null ? "" : baseUri);
        if (recordSelector == null) {
            return record(doc);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (Element e : doc.select(recordSelector)) {
            records.add(record(e));
        }
        return records;
    }

    private Map<String, Object> record(Element root) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldSpec f : fields) {
            if (f.jsonPath()) {
                out.put(f.name(), null);
                continue;
            }
            Elements matches = f.selector().isEmpty() ? new Elements(root) : root.select(f.selector());
            if (f.list()) {
                List<String> values = new ArrayList<>();
                for (Element e : matches) {
                    String v = value(e, f.attribute());
                    if (v != null) {
                        values.add(v);
                    }
                }
                out.put(f.name(), values);
            } else {
                out.put(f.name(), matches.isEmpty() ? null : value(matches.first(), f.attribute()));
            }
        }
        return out;
    }

    static String value(Element e, String attribute) {
        if (attribute == null || attribute.equals("text")) {
            return e.text();
        }
        if (attribute.equals("html")) {
            return e.html();
        }
        if (attribute.equals("ownText")) {
            return e.ownText();
        }
        if (!e.hasAttr(attribute)) {
            return null;
        }
        if (FieldSpec.URL_ATTRIBUTES.contains(attribute)) {
            String abs = e.absUrl(attribute);
            return abs.isEmpty() ? e.attr(attribute) : abs;
        }
        return e.attr(attribute);
    }

    private Object extractJson(String body) {
        Object document = JSON.jsonProvider().parse(body);
        if (recordSelector != null && recordSelector.startsWith("$")) {
            Object items = JsonPath.using(JSON).parse(document).read(recordSelector);
            List<Map<String, Object>> records = new ArrayList<>();
            if (items instanceof List<?> list) {
                for (Object item : list) {
                    records.add(jsonRecord(item));
                }
            }
            return records;
        }
        return jsonRecord(document);
    }

    private Map<String, Object> jsonRecord(Object document) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldSpec f : fields) {
            out.put(f.name(), f.jsonPath() ? JsonPath.using(JSON).parse(document).read(f.selector()) : null);
        }
        return out;
    }

    private boolean looksLikeJson(String body) {
        if (body == null || fields.stream().noneMatch(FieldSpec::jsonPath)) {
            return false;
        }
        String t = body.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }
}
