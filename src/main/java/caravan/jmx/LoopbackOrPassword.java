package caravan.jmx;

import caravan.config.JmxSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The rule that remote JMX needs a password: a host other than loopback is refused without a readable password file. */
final class LoopbackOrPassword {

    private LoopbackOrPassword() {
    }

    static InetAddress check(JmxSettings jmx) {
        InetAddress address;
        try {
            address = InetAddress.getByName(jmx.host());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("caravan.jmx.host=" + jmx.host()
                    + " is not a known host name or address: set it to 127.0.0.1 or to an address of this machine");
        }
        if (address.isLoopbackAddress()) {
            return address;
        }
        if (jmx.passwordFile() == null) {
            throw new IllegalStateException("caravan.jmx.host=" + jmx.host() + " is not a loopback address, and remote JMX"
                    + " needs a password: set caravan.jmx.password-file to a file of 'user password' lines (readable only"
                    + " by the daemon's user), or set caravan.jmx.host=127.0.0.1");
        }
        if (!Files.isReadable(Path.of(jmx.passwordFile()))) {
            throw new IllegalStateException("caravan.jmx.password-file=" + jmx.passwordFile()
                    + " cannot be read: create it with one 'user password' line per user, or fix its permissions");
        }
        return address;
    }
}
