package caravan.config;

/** Where the JMX connector listens; a non-loopback host needs a password file. */
public record JmxSettings(String host, int port, String passwordFile) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9010;

    public static JmxSettings from(CaravanProperties p) {
        return new JmxSettings(
                p.get("caravan.jmx.host", DEFAULT_HOST),
                p.getInt("caravan.jmx.port", DEFAULT_PORT),
                p.get("caravan.jmx.password-file", null));
    }

    public boolean enabled() {
        return port > 0;
    }
}
