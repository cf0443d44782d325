package caravan.http;

import java.util.Date;
import java.util.List;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.cookie.CookieStore;

/**
 * A cookie jar that keeps nothing: for requests whose endpoint has cookie management off. Without a jar of its own
 * a request would use the shared client's, which keeps what every reply to every job sets.
 */
final class NoCookies implements CookieStore {

    static final NoCookies JAR = new NoCookies();

    private NoCookies() {
    }

    @Override
    public void addCookie(Cookie cookie) {
        // dropped
    }

    @Override
    public List<Cookie> getCookies() {
        return List.of();
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean clearExpired(Date date) {
        return false;
    }

    @Override
    public void clear() {
        // nothing kept
    }
}
