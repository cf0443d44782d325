package caravan.config;

import java.time.Duration;

/** HTTP client defaults shared by every job, and the politeness limits every request goes through. */
public record HttpSettings(Duration connectTimeout, Duration responseTimeout, int maxConnections, int maxPerHost,
        String userAgent, boolean followRedirects, boolean nonBlockingClient, PolitenessSettings politeness) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    public static final int DEFAULT_MAX_PER_HOST = 8;
    public static final String DEFAULT_USER_AGENT = "Caravan/0.1 (scheduled job runner)";

    /** {@code async}: requests wait without a thread where camel-http's options allow; {@code classic}: camel-http only. */
    public static final String CLIENT_KEY = "caravan.http.client";

    static boolean nonBlocking(String client) {
        return switch (client.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "async" -> true;
            case "classic" -> false;
            default -> throw new IllegalArgumentException(CLIENT_KEY + "=" + client + " is not one of async, classic");
        };
    }

    /** The {@value #CLIENT_KEY} value these settings stand for. */
    public String client() {
        return nonBlockingClient ? "async" : "classic";
    }

    public static HttpSettings from(CaravanProperties p) {
        int maxPerHost = p.getInt("caravan.http.max-per-host", DEFAULT_MAX_PER_HOST);
        if (maxPerHost < 1) {
            throw new IllegalArgumentException("caravan.http.max-per-host=" + maxPerHost + " must be at least 1");
        }
        return new HttpSettings(
                p.getDuration("caravan.http.connect-timeout", DEFAULT_CONNECT_TIMEOUT),
                p.getDuration("caravan.http.response-timeout", DEFAULT_RESPONSE_TIMEOUT),
                p.getInt("caravan.http.max-connections", DEFAULT_MAX_CONNECTIONS),
                maxPerHost,
                p.get("caravan.http.user-agent", DEFAULT_USER_AGENT),
                p.getBoolean("caravan.http.follow-redirects", true),
                nonBlocking(p.get(CLIENT_KEY, "async")),
                PolitenessSettings.from(p));
    }
}
