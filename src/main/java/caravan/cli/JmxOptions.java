package caravan.cli;

import picocli.CommandLine.Option;

/** {@code --jmx HOST:PORT} and {@code --jmx-user}, shared by the commands that talk to a running daemon. */
public final class JmxOptions {

    /** Where a password for {@code --jmx-user} is read from, so that it never shows in a process list. */
    public static final String PASSWORD_ENV = "CARAVAN_JMX_PASSWORD";

    @Option(names = "--jmx", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9010",
            description = "The daemon's JMX address (default: ${DEFAULT-VALUE})")
    String address;

    @Option(names = "--jmx-user", paramLabel = "USER",
            description = "User for a daemon whose JMX needs a password; the password is read from " + PASSWORD_ENV)
    String user;

    JmxClient connect() {
        return JmxClient.connect(JmxAddress.parse(address), user, user == null ? null : System.getenv(PASSWORD_ENV));
    }
}
