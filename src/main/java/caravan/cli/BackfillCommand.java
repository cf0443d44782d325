package caravan.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan backfill JOB --from T1 --to T2}: asks the running daemon to run the job once per fire time of its
 * cron in the range, one at a time, recorded as {@code backfill} runs.
 */
@Command(name = "backfill", description = "Run a job once for each fire time of its schedule in a range.")
public final class BackfillCommand extends DaemonCommand {

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id (the route id)")
    String jobId;

    @Option(names = "--from", required = true, paramLabel = "T1",
            description = "First fire time, ISO-8601 (2026-01-01T00:00:00Z; without an offset, in the job's time zone)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "T2", description = "Last fire time, inclusive, as --from")
    String to;

    @Override
    int run(JmxClient client, PrintWriter out) {
        String planned = client.call(j -> j.backfill(jobId, from, to));
        out.println(planned);
        out.flush();
        return CaravanCommand.EXIT_OK;
    }
}
