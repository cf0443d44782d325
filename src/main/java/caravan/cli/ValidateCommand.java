package caravan.cli;

import caravan.routes.RouteValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code caravan validate PATH...}: offline checks of route files, the same the daemon makes when it loads them;
 * every problem as {@code file:line: message}, each valid job with its next three fire times.
 */
@Command(name = "validate", description = "Check route files or folders without starting the daemon.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Route files or folders")
    List<Path> paths;

    @Option(names = "--config", description = "Properties for {{placeholders}} (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RouteValidator.Report report = RouteValidator.validate(paths, config);
        report.jobs().forEach(out::println);
        report.problems().forEach(err::println);
        try {
            if (report.problems().isEmpty()) {
                out.println(report.files() + " file(s) valid");
                return CaravanCommand.EXIT_OK;
            }
            err.println(report.problems().size() + " problem(s) in " + report.files() + " file(s)");
            return CaravanCommand.EXIT_FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
