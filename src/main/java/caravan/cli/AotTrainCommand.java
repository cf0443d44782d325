package caravan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code caravan aot-train}: the training workload of the JVM's ahead-of-time cache. The launcher runs it under
 * {@code -XX:AOTCacheOutput} (Java 25+); on its own it only runs the workload.
 */
@Command(name = "aot-train", hidden = true, description = "Train the JVM's ahead-of-time cache (run by bin/caravan).")
public final class AotTrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        AotTraining.run(System.out);
        return CaravanCommand.EXIT_OK;
    }
}
