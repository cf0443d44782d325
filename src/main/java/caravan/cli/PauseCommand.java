package caravan.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code caravan pause JOB}: stops the job's schedule until resumed, also across restarts. */
@Command(name = "pause", description = "Stop a job's schedule (kept across restarts).")
public final class PauseCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Override
    int run(JmxClient client, PrintWriter out) {
        client.call(j -> {
            j.pause(job);
            return null;
        });
        out.println("Job " + job + " paused: it fires only when triggered, until 'caravan resume " + job + "'.");
        out.flush();
        return CaravanCommand.EXIT_OK;
    }
}
