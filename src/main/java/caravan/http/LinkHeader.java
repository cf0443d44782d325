package caravan.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Header;

/**
 * Reads RFC 8288 {@code Link} headers, as GitHub, Mastodon and most REST APIs page with. For route files:
 * {@code method: {beanType: caravan.http.LinkHeader, method: next}} gives the {@code rel="next"} URL or null.
 */
public final class LinkHeader {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    /** The URL of the {@code rel="next"} link, or null on the last page. */
    public static String next(@Header("Link") String link) {
        return rel(link, "next");
    }

    public static String rel(String link, String rel) {
        if (link == null || link.isBlank()) {
            return null;
        }
        Matcher m = LINK.matcher(link);
        while (m.find()) {
            Matcher r = REL.matcher(m.group(2));
            while (r.find()) {
                for (String value : r.group(1).trim().split("\\s+")) {
                    if (value.equalsIgnoreCase(rel)) {
                        return m.group(1);
                    }
                }
            }
        }
        return null;
    }
}
