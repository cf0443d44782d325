package caravan.cli;

import caravan.jmx.JmxConnector;
import caravan.jmx.Jobs;
import caravan.jmx.JobsMBean;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.management.InstanceNotFoundException;
import javax.management.JMX;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;

/** The CLI's connection to a running daemon's {@code caravan:type=Jobs}; every failure to reach it is exit code 4. */
public final class JmxClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final JmxAddress address;
    private final JMXConnector connector;
    private final JobsMBean jobs;

    private JmxClient(JmxAddress address, JMXConnector connector, JobsMBean jobs) {
        this.address = address;
        this.connector = connector;
        this.jobs = jobs;
    }

    public static JmxClient connect(JmxAddress address, String user, String password) {
        Map<String, Object> env = new HashMap<>();
        if (user != null) {
            env.put(JMXConnector.CREDENTIALS, new String[] {user, password == null ? "" : password});
        }
        JMXConnector connector = open(address, env);
        try {
            JobsMBean jobs = JMX.newMBeanProxy(connector.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME),
                    JobsMBean.class);
            return new JmxClient(address, connector, jobs);
        } catch (IOException e) {
            closeQuietly(connector);
            throw unreachable(address, e);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JMXConnector open(JmxAddress address, Map<String, Object> env) {
        CompletableFuture<JMXConnector> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return JMXConnectorFactory.connect(JmxConnector.serviceUrl(address.host(), address.port()), env);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return connecting.get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            connecting.cancel(true);
            throw new DaemonUnreachableException("Cannot reach the daemon at " + address + " (no answer within "
                    + CONNECT_TIMEOUT.toSeconds() + " s). Is 'caravan run' running there, and does a firewall let"
                    + " port " + address.port() + " through?", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof SecurityException) {
                throw new DaemonUnreachableException("The daemon at " + address + " refused the login ("
                        + cause.getMessage() + "): give --jmx-user and the password in CARAVAN_JMX_PASSWORD", cause);
            }
            throw unreachable(address, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonUnreachableException("Interrupted while connecting to " + address, e);
        }
    }

    /** Calls the MBean; a lost connection becomes {@link DaemonUnreachableException}. */
    public <T> T call(Function<JobsMBean, T> action) {
        try {
            return action.apply(jobs);
        } catch (UndeclaredThrowableException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InstanceNotFoundException) {
                throw new DaemonUnreachableException("The JMX server at " + address + " has no " + Jobs.OBJECT_NAME
                        + ": is it a Caravan daemon? Point --jmx at the port set by caravan.jmx.port", cause);
            }
            throw unreachable(address, cause);
        }
    }

    public JmxAddress address() {
        return address;
    }

    static DaemonUnreachableException unreachable(JmxAddress address, Throwable cause) {
        return new DaemonUnreachableException("Cannot reach the daemon at " + address + " (" + reason(cause)
                + "). Is 'caravan run' running, and is caravan.jmx.port " + address.port() + "?"
                + " Start it with 'caravan run', or point --jmx at its HOST:PORT.", cause);
    }

    private static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (c instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        Throwable root = t;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        return root == null || root.getMessage() == null ? "no answer" : root.getMessage();
    }

    @Override
    public void close() {
        closeQuietly(connector);
    }

    private static void closeQuietly(JMXConnector c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // the connection is gone either way
        }
    }
}
