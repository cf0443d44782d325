package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every command answers --help with its usage and exit 0, before it checks its arguments or the daemon. */
class HelpTest {

    @Test
    void each_command_prints_its_usage_on_help() {
        for (String command : CaravanCommand.commandLine().getSubcommands().keySet()) {
            Cli help = Cli.run(command, "--help");
            assertThat(help.exitCode()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: caravan " + command);
            assertThat(help.err()).as(command).isEmpty();
        }
        assertThat(Cli.run("--help").out()).contains("results", "dead-letters", "history", "log");
    }

    @Test
    void version_names_the_build_and_the_camel_and_java_it_runs_on() {
        Cli version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out().strip()).matches("Caravan \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Camel 4\\.\\d+\\.\\d+, Java "
                + java.util.regex.Pattern.quote(Runtime.version().toString()) + "\\)");
        assertThat(Cli.run("history", "--version").out()).isEqualTo(version.out());
    }

    @Test
    void each_row_command_says_its_own_default_limit() {
        assertThat(Cli.run("results", "--help").out()).contains("How many rows (default: 20, at most 1000)");
        assertThat(Cli.run("log", "--help").out()).contains("How many rows (default: 200, at most 1000)");
    }
}
