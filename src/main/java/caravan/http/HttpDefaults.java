package caravan.http;

import caravan.config.HttpSettings;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpComponent;

/**
 * Production defaults for camel-http: Caravan does the retrying (the client's own is off), the pool is sized to
 * the fan-out rather than 20 per host, timeouts are set, and every request says who it is.
 */
public final class HttpDefaults {

    private HttpDefaults() {
    }

    public static HttpComponent configure(HttpComponent http, HttpSettings settings, HttpActivityListener listener) {
        http.setAutomaticRetriesDisabled(true);
        http.setMaxTotalConnections(settings.maxConnections());
        http.setConnectionsPerRoute(settings.maxPerHost());
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
