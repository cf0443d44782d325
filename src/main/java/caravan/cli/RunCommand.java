package caravan.cli;

import caravan.daemon.Daemon;
import caravan.daemon.DaemonOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan run}: the daemon, until SIGTERM. */
@Command(name = "run", description = "Run the daemon (the default command).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--routes", description = "Folder of route files (default: ${DEFAULT-VALUE})", defaultValue = "routes")
    Path routes;

    @Option(names = "--config", description = "Properties file (default: ${DEFAULT-VALUE})", defaultValue = "config/application.properties")
    Path config;

    @Option(names = "--data", description = "Data folder for the H2 database (default: ${DEFAULT-VALUE})", defaultValue = "data")
    Path data;

    @Override
    public Integer call() throws Exception {
        Daemon daemon = Daemon.start(DaemonOptions.of(routes, config, data));
        daemon.awaitShutdown();
        return CaravanCommand.EXIT_OK;
    }
}
