package caravan.cli;

import caravan.routes.RouteValidator;
import caravan.routes.RouteProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caravan validate PATH...}: offline checks of route files, every problem as {@code file:line: message}. */
@Command(name = "validate", description = "Check route files or folders without starting the daemon.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Route files or folders")
    List<Path> paths;

    @Option(names = "--config", description = "Properties for {{placeholders}} (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Override
    public Integer call() throws Exception {
        RouteValidator.Report report = RouteValidator.validate(paths, config);
        report.jobs().forEach(j -> System.out.println(j));
        for (RouteProblem p : report.problems()) {
            System.err.println(p);
        }
        if (report.problems().isEmpty()) {
            System.out.println(report.files() + " file(s) valid");
            return CaravanCommand.EXIT_OK;
        }
        System.err.println(report.problems().size() + " problem(s) in " + report.files() + " file(s)");
        return CaravanCommand.EXIT_FAILED;
    }
}
