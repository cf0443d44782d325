package caravan.cli;

import caravan.daemon.BuildVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command; each subcommand is a thin face over the daemon or its JMX interface. */
// INHERIT: every subcommand takes --help (and --version) too, as "caravan history --help" is expected to.
@Command(name = "caravan", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = CaravanCommand.Version.class,
        description = "Scheduled automation jobs: Camel YAML routes on Quartz, parallel HTTP, every result stored.",
        subcommands = {RunCommand.class, StatusCommand.class, JobsCommand.class, TriggerCommand.class, RetryCommand.class, CancelCommand.class, PauseCommand.class,
                ResumeCommand.class, HistoryCommand.class, RunsCommand.class, ResultsCommand.class, LatestCommand.class, DeadLettersCommand.class, LogCommand.class,
                BackfillCommand.class, BackupCommand.class, ValidateCommand.class, AotTrainCommand.class})
public final class CaravanCommand implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_PARTIAL = 3;
    public static final int EXIT_UNREACHABLE = 4;
    public static final int EXIT_SKIPPED = 5;

    /** {@code --version}: the build, and the Camel and Java it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildVersion.describe()};
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CaravanCommand());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILED);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE));
        return cl;
    }
}
