package caravan.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a running daemon over JMX; maps what goes wrong to the contract's exit codes. */
abstract class DaemonCommand implements Callable<Integer> {

    @Mixin
    JmxOptions jmx;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (JmxClient client = jmx.connect()) {
            return run(client, spec.commandLine().getOut());
        } catch (DaemonUnreachableException e) {
            err.println(e.getMessage());
            return CaravanCommand.EXIT_UNREACHABLE;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return CaravanCommand.EXIT_USAGE;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return CaravanCommand.EXIT_FAILED;
        } finally {
            err.flush();
        }
    }

    abstract int run(JmxClient client, PrintWriter out);
}
