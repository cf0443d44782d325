package caravan.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code caravan resume JOB}: restarts a paused job's schedule. */
@Command(name = "resume", description = "Restart a paused job's schedule.")
public final class ResumeCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Override
    int run(JmxClient client, PrintWriter out) {
        client.call(j -> {
            j.resume(job);
            return null;
        });
        out.println("Job " + job + " resumed.");
        out.flush();
        return CaravanCommand.EXIT_OK;
    }
}
