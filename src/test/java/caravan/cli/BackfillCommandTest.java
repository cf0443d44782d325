package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.Caravan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI face of backfill, against a JMX server on loopback that stands in for the daemon's MBean. */
class BackfillCommandTest {

    /** The operation the daemon's {@code caravan:type=Jobs} MBean offers. */
    public interface FakeJobsMBean {
        String backfill(String jobId, String from, String to);
    }

    public static final class FakeJobs implements FakeJobsMBean {
        @Override
        public String backfill(String jobId, String from, String to) {
            if (!jobId.equals("hourly")) {
                throw new IllegalArgumentException("Unknown job '" + jobId + "'. Known jobs: hourly.");
            }
            return "[{\"runId\":\"r1\",\"fireTime\":\"" + from + "\"}]";
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;
    private Registry registry;
    private JMXConnectorServer server;
    private int port;

    @BeforeEach
    void captureAndServe() throws Exception {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        registry = LocateRegistry.createRegistry(port);
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        mbeans.registerMBean(new FakeJobs(), new ObjectName(BackfillCommand.MBEAN));
        server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"), null, mbeans);
        server.start();
    }

    @AfterEach
    void restore() throws Exception {
        System.setOut(stdout);
        System.setErr(stderr);
        server.stop();
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(BackfillCommand.MBEAN));
        UnicastRemoteObject.unexportObject(registry, true);
    }

    @Test
    void backfill_prints_the_queued_runs_and_exits_0() {
        int code = Caravan.execute("backfill", "hourly", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T04:00:00Z",
                "--jmx", "127.0.0.1:" + port);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"fireTime\":\"2026-01-01T00:00:00Z\"");
    }

    @Test
    void a_refused_backfill_prints_the_daemon_s_reason_and_exits_1() {
        int code = Caravan.execute("backfill", "hourl", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T04:00:00Z",
                "--jmx", "127.0.0.1:" + port);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown job 'hourl'. Known jobs: hourly.");
    }

    @Test
    void an_unreachable_daemon_exits_4_saying_the_address_tried() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int code = Caravan.execute("backfill", "hourly", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T04:00:00Z",
                "--jmx", "127.0.0.1:" + closed);
        assertThat(code).isEqualTo(4);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Cannot reach the daemon at 127.0.0.1:" + closed + " (")
                .contains("Is 'caravan run' running, and is caravan.jmx.port " + closed + "?");
    }

    @Test
    void missing_from_or_to_is_a_usage_error() {
        assertThat(Caravan.execute("backfill", "hourly", "--from", "2026-01-01T00:00:00Z")).isEqualTo(2);
    }
}
