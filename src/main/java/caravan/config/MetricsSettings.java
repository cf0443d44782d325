package caravan.config;

/** Where Prometheus metrics and the health check are served; port 0 turns the endpoint off. */
public record MetricsSettings(String host, int port) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9011;

    public static MetricsSettings from(CaravanProperties p) {
        return new MetricsSettings(p.get("caravan.metrics.host", DEFAULT_HOST), p.getInt("caravan.metrics.port", DEFAULT_PORT));
    }

    public boolean enabled() {
        return port > 0;
    }
}
