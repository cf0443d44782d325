package caravan.http;

import caravan.config.HttpSettings;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpComponent;

/**
 * Production defaults for camel-http: Caravan does the retrying (the client's own is off, so every attempt is
 * counted and bounded), the pool is sized so that only Caravan's limiter caps a host, timeouts are set, redirects
 * are followed, and every request says who it is.
 */
public final class HttpDefaults {

    private HttpDefaults() {
    }

    public static HttpComponent configure(HttpComponent http, HttpSettings settings, HttpActivityListener listener) {
        http.setAutomaticRetriesDisabled(true);
        // The HostLimiter caps requests per host without holding threads; the pool must never be the tighter limit,
        // or a request would block a thread waiting for a connection.
        int pool = Math.max(settings.maxConnections(), settings.politeness().maxConcurrent());
        http.setMaxTotalConnections(pool);
        http.setConnectionsPerRoute(pool);
        http.setFollowRedirects(settings.followRedirects());
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setConnectionRequestTimeout(settings.responseTimeout().toMillis());
        http.setResponseTimeout(settings.responseTimeout().toMillis());
        http.setSoTimeout(settings.responseTimeout().toMillis());
        http.setUserAgent(settings.userAgent());
        http.setHeaderFilterStrategy(new JobHeaderFilterStrategy());
        http.setHttpActivityListener(listener);
        return http;
    }
}
