package caravan.jmx;

import caravan.config.JmxSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX connector over the platform MBean server, on {@code caravan.jmx.host:caravan.jmx.port}: the RMI registry
 * and the RMI connection objects share that one port and that one address, so a firewall needs one rule and nothing
 * listens anywhere else.
 */
public final class JmxConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JmxConnector.class);

    private final Registry registry;
    private final JMXConnectorServer server;
    private final JMXServiceURL url;

    private JmxConnector(Registry registry, JMXConnectorServer server, JMXServiceURL url) {
        this.registry = registry;
        this.server = server;
        this.url = url;
    }

    public static JmxConnector start(JmxSettings jmx) throws IOException {
        InetAddress address = LoopbackOrPassword.check(jmx);
        if (System.getProperty("java.rmi.server.hostname") == null) {
            // Stubs handed to clients name this address, not the machine's host name.
            System.setProperty("java.rmi.server.hostname", jmx.host());
        }
        RMIServerSocketFactory sockets = new BoundServerSockets(address);
        Registry registry;
        try {
            registry = LocateRegistry.createRegistry(jmx.port(), null, sockets);
        } catch (java.rmi.RemoteException e) {
            throw new IOException("Cannot listen for JMX on " + jmx.host() + ":" + jmx.port() + " (" + rootMessage(e)
                    + "): is another process using the port? Set caravan.jmx.port to a free port", e);
        }
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        if (jmx.passwordFile() != null) {
            env.put("jmx.remote.x.password.file", jmx.passwordFile());
        }
        JMXServiceURL url = serviceUrl(jmx.host(), jmx.port());
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env,
                ManagementFactory.getPlatformMBeanServer());
        try {
            server.start();
        } catch (IOException e) {
            unexport(registry);
            throw e;
        }
        LOG.info("JMX listening on {} (password {})", url, jmx.passwordFile() == null ? "off, loopback only" : "required");
        return new JmxConnector(registry, server, url);
    }

    /** {@code service:jmx:rmi://HOST:PORT/jndi/rmi://HOST:PORT/jmxrmi}, what jconsole and jmxterm call HOST:PORT. */
    public static JMXServiceURL serviceUrl(String host, int port) throws java.net.MalformedURLException {
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return new JMXServiceURL("service:jmx:rmi://" + hostPort + "/jndi/rmi://" + hostPort + "/jmxrmi");
    }

    public JMXServiceURL url() {
        return url;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("Error while stopping the JMX connector: {}", e.getMessage());
        }
        unexport(registry);
    }

    private static void unexport(Registry registry) {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // already gone
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    /** Server sockets bound to one address; equal instances let RMI share one port between registry and connector. */
    private record BoundServerSockets(InetAddress address) implements RMIServerSocketFactory {

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
