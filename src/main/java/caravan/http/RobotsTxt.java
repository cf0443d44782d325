package caravan.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * Optional robots.txt respect (RFC 9309): each site's file is fetched once a day and its rules for Caravan's user
 * agent decide whether a URL may be fetched. On for every job with {@code caravan.http.robots-txt=true}, or per
 * route with the exchange property {@code CaravanRobotsTxt} ({@code true}/{@code false}).
 */
public final class RobotsTxt {

    public static final String PROPERTY = "CaravanRobotsTxt";
    static final Duration TTL = Duration.ofHours(24);

    private record Cached(RobotsRules rules, long expiresAtNanos) {
    }

    private final String userAgent;
    private final String productToken;
    private final boolean byDefault;
    private final Duration timeout;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile HttpClient client;

    public RobotsTxt(String userAgent, boolean byDefault, Duration timeout) {
        this.userAgent = userAgent;
        this.productToken = userAgent.split("[/\\s]", 2)[0];
        this.byDefault = byDefault;
        this.timeout = timeout;
    }

    /** Whether robots.txt is respected where a route does not say ({@code caravan.http.robots-txt}). */
    public boolean byDefault() {
        return byDefault;
    }

    public boolean appliesTo(Exchange exchange) {
        Boolean explicit = exchange.getProperty(PROPERTY, Boolean.class);
        return explicit != null ? explicit : byDefault;
    }

    public boolean allows(URI target) {
        String site = target.getScheme() + "://" + target.getRawAuthority();
        long now = System.nanoTime();
        // One fetch per site even when many items of a fan-out ask at once: the others wait for it.
        Cached cached = cache.compute(site, (k, old) ->
                old != null && now - old.expiresAtNanos() <= 0 ? old : new Cached(fetch(k), now + TTL.toNanos()));
        return cached.rules().allows(pathAndQuery(target));
    }

    /** What robots.txt rules are matched against: the raw path ("/" when empty) and the query, if any. */
    static String pathAndQuery(URI target) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
    }

    private RobotsRules fetch(String site) {
        try {
            HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create(site + "/robots.txt"))
                    .timeout(timeout.multipliedBy(3)).header("User-Agent", userAgent).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return RobotsRules.parse(response.body(), productToken.toLowerCase(Locale.ROOT));
            }
            // RFC 9309 2.3.1: 4xx means no rules; a server error means assume everything is disallowed.
            return status >= 400 && status < 500 ? RobotsRules.ALLOW_ALL : RobotsRules.DISALLOW_ALL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RobotsRules.DISALLOW_ALL;
        } catch (Exception e) {
            return RobotsRules.DISALLOW_ALL;
        }
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }
}
