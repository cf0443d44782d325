package caravan.jmx;

import caravan.config.JmxSettings;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers {@code caravan:type=Jobs} in the platform MBean server and opens the remote connector when a port is set. */
public final class JmxFace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JmxFace.class);

    private final ObjectName name;
    private final boolean registered;
    private final JmxConnector connector;

    private JmxFace(ObjectName name, boolean registered, JmxConnector connector) {
        this.name = name;
        this.registered = registered;
        this.connector = connector;
    }

    public static JmxFace start(JmxSettings settings, Jobs jobs) throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(Jobs.OBJECT_NAME);
        boolean registered = false;
        try {
            mbeans.registerMBean(new StandardMBean(jobs, JobsMBean.class), name);
            registered = true;
        } catch (InstanceAlreadyExistsException e) {
            LOG.warn("{} is already registered by another daemon in this JVM; this one is not reachable over JMX", name);
        }
        try {
            JmxConnector connector = settings.enabled() ? JmxConnector.start(settings) : null;
            return new JmxFace(name, registered, connector);
        } catch (Exception | Error e) {
            if (registered) {
                mbeans.unregisterMBean(name);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (connector != null) {
            connector.close();
        }
        if (registered) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.warn("Cannot unregister {}: {}", name, e.getMessage());
            }
        }
    }
}
