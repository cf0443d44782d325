package caravan.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the default hosts, every socket this process listens on is on a loopback address (read from /proc). */
class LoopbackOnlyIT {

    /** One listening socket: its local address and port. */
    record Listener(InetAddress address, int port) {
    }

    @TempDir
    Path home;

    @Test
    void nothing_listens_on_a_non_loopback_address_with_the_default_configuration() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/net/tcp")), "needs Linux /proc");
        try (TestDaemon t = new TestDaemon(home)) {
            int jmxPort = t.withJmx();
            int metricsPort = TestDaemon.freePort();
            t.property("caravan.metrics.port", Integer.toString(metricsPort)).route("quick.yaml", TestJobs.QUICK).start();

            List<Listener> listeners = listeningSocketsOfThisProcess();
            assertThat(listeners).extracting(Listener::port).contains(jmxPort, metricsPort);
            assertThat(listeners).allSatisfy(l -> assertThat(l.address().isLoopbackAddress())
                    .as("listening on %s:%d", l.address().getHostAddress(), l.port()).isTrue());
        }
    }

    static List<Listener> listeningSocketsOfThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        List<Listener> out = new ArrayList<>();
        for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A = LISTEN
                    String[] local = f[1].split(":");
                    out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    /** /proc/net/tcp writes addresses as 32-bit words in host (little-endian) order. */
    static InetAddress address(String hex) throws IOException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int w = 0; w < raw.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[w + i] = raw[w + 3 - i];
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
