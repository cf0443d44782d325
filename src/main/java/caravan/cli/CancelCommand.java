package caravan.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan cancel JOB [--wait]}: cuts off the job's run in progress; with {@code --wait}, waits for it to end
 * and exits with its status, as {@code trigger --wait} does.
 */
@Command(name = "cancel", description = "Cancel a job's run in progress: it sends no new request, and its items not"
        + " yet sent are dead-lettered.")
public final class CancelCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--wait", description = "Wait for the run to end, exit with its status")
    boolean await;

    @Override
    int run(JmxClient client, PrintWriter out) {
        String runId = client.call(j -> j.cancel(job));
        out.println("Run " + runId + " of job " + job + " cancelled: it sends no new request, and its items not yet sent"
                + " are dead-lettered.");
        out.flush();
        return await ? TriggerCommand.awaitEnd(client, runId, out) : CaravanCommand.EXIT_OK;
    }
}
