package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan retry JOB [--run RUN] [--wait]}: fires the job now to redo the items a run of it dead-lettered (by
 * default its newest run with dead letters); with {@code --wait}, exits with the retry run's status as
 * {@code trigger --wait} does.
 */
@Command(name = "retry", description = "Fire a job now to redo the items a run of it dead-lettered (default: its newest"
        + " run with dead letters); prints the retry's run id.")
public final class RetryCommand extends DaemonCommand {

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--run", paramLabel = "RUN", description = "The run whose dead letters to redo")
    String run;

    @Option(names = "--wait", description = "Wait for the retry run to end, show its progress, exit with its status")
    boolean await;

    @Override
    int run(JmxClient client, PrintWriter out) {
        Map<String, Object> started = Json.readRow(client.call(j -> j.retry(job, run)));
        String runId = (String) started.get("run_id");
        out.println(runId);
        out.println("retries the " + started.get("items") + " item(s) of job " + job + " dead-lettered in run "
                + started.get("retry_of"));
        out.flush();
        return await ? TriggerCommand.awaitEnd(client, runId, out) : CaravanCommand.EXIT_OK;
    }
}
