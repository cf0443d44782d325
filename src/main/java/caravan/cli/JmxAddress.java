package caravan.cli;

import caravan.config.JmxSettings;

/** {@code HOST:PORT} of a daemon's JMX connector, as given to {@code --jmx}. */
public record JmxAddress(String host, int port) {

    public static final JmxAddress DEFAULT = new JmxAddress(JmxSettings.DEFAULT_HOST, JmxSettings.DEFAULT_PORT);

    public static JmxAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (colon < 0) {
            return new JmxAddress(host, JmxSettings.DEFAULT_PORT);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new JmxAddress(host.isEmpty() ? JmxSettings.DEFAULT_HOST : host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--jmx " + text + ": write HOST:PORT, e.g. 127.0.0.1:9010");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
