package caravan.http;

/**
 * A reply's ETag and Last-Modified (either may be null) for the URL it answered. Sent back with a later GET of the
 * same URL as If-None-Match and If-Modified-Since, they let the site answer 304 Not Modified, with no body, while
 * the content is the same.
 */
public record Validators(String url, String etag, String lastModified) {

    /** The longest of each that is remembered: with a longer one, the next GET is unconditional. */
    public static final int MAX_URL = 2000;
    public static final int MAX_ETAG = 1000;
    public static final int MAX_LAST_MODIFIED = 100;

    /** The validators of a reply, or null when it has none, or one too long to remember. */
    public static Validators of(String url, String etag, String lastModified) {
        if ((etag == null && lastModified == null) || url.length() > MAX_URL
                || (etag != null && etag.length() > MAX_ETAG)
                || (lastModified != null && lastModified.length() > MAX_LAST_MODIFIED)) {
            return null;
        }
        return new Validators(url, etag, lastModified);
    }
}
