package caravan.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan backfill JOB --from T1 --to T2}: asks the running daemon (operation {@code backfill(jobId, from, to)}
 * of MBean {@code caravan:type=Jobs}) to run the job once per fire time of its cron in the range, one at a time.
 */
@Command(name = "backfill", description = "Run a job once for each fire time of its schedule in a range.")
public final class BackfillCommand implements Callable<Integer> {

    static final String MBEAN = "caravan:type=Jobs";

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id (the route id)")
    String jobId;

    @Option(names = "--from", required = true, paramLabel = "T1",
            description = "First fire time, ISO-8601 (2026-01-01T00:00:00Z; without an offset, in the job's time zone)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "T2", description = "Last fire time, inclusive, as --from")
    String to;

    @Option(names = "--jmx", paramLabel = "HOST:PORT", description = "The daemon's JMX address (default: ${DEFAULT-VALUE})",
            defaultValue = "127.0.0.1:9010")
    String jmx;

    @Override
    public Integer call() {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + jmx + "/jmxrmi");
        } catch (IOException e) {
            System.err.println("--jmx " + jmx + " is not HOST:PORT");
            return CaravanCommand.EXIT_USAGE;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Object runs = server.invoke(new ObjectName(MBEAN), "backfill", new Object[] {jobId, from, to},
                    new String[] {String.class.getName(), String.class.getName(), String.class.getName()});
            System.out.println(runs);
            return CaravanCommand.EXIT_OK;
        } catch (MBeanException | RuntimeMBeanException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println(cause.getMessage());
            return CaravanCommand.EXIT_FAILED;
        } catch (IOException e) {
            System.err.println("Cannot reach the daemon at " + jmx + " (" + rootMessage(e)
                    + "). Is 'caravan run' running, and is caravan.jmx.port " + jmx.substring(jmx.lastIndexOf(':') + 1) + "?");
            return CaravanCommand.EXIT_UNREACHABLE;
        } catch (Exception e) {
            System.err.println("Backfill of job '" + jobId + "' failed: " + rootMessage(e));
            return CaravanCommand.EXIT_FAILED;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
