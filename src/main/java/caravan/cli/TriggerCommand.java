package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan trigger JOB [--wait]}: fires the job now and prints the run id; with {@code --wait}, follows the run
 * through {@code history} until it ends and exits with its status (0 succeeded, 3 partial, 1 failed, 5 skipped).
 */
@Command(name = "trigger", description = "Fire a job now; prints the run id.")
public final class TriggerCommand extends DaemonCommand {

    static final Duration POLL = Duration.ofMillis(500);

    @Parameters(paramLabel = "JOB", description = "Job id")
    String job;

    @Option(names = "--wait", description = "Wait for the run to end, show its progress, exit with its status")
    boolean await;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "A parameter of this run, read by the job as ${exchangeProperty.NAME} (repeatable)")
    List<String> params = List.of();

    @Override
    int run(JmxClient client, PrintWriter out) {
        String runId = client.call(j -> params.isEmpty() ? j.trigger(job) : j.triggerWith(job, params.toArray(String[]::new)));
        out.println(runId);
        out.flush();
        return await ? awaitEnd(client, runId, out) : CaravanCommand.EXIT_OK;
    }

    /**
     * Follows the run until it ends, its progress on a terminal, then prints its summary; returns the exit code of its
     * status. {@code caravan cancel --wait} waits the same way.
     */
    static int awaitEnd(JmxClient client, String runId, PrintWriter out) {
        boolean live = System.console() != null;
        while (true) {
            // returns as soon as the run ends, or after POLL with its progress
            Optional<Map<String, Object>> run = Optional.ofNullable(Json.readRow(client.call(j -> j.awaitRun(runId, POLL.toMillis()))));
            String status = run.map(r -> (String) r.get("status")).orElse("starting");
            if (!status.equals("running") && !status.equals("starting")) {
                if (live) {
                    out.print("\r\033[K");
                }
                out.println(summary(run.get()));
                out.flush();
                return exitCode(status);
            }
            if (live && run.isPresent()) {
                out.print("\r\033[K" + progress(run.get()));
                out.flush();
            }
            if (run.isEmpty()) {
                sleep(); // not started yet: the run is recorded when it starts
            }
        }
    }

    static String progress(Map<String, Object> r) {
        int total = ((Number) r.get("items_total")).intValue();
        int failed = ((Number) r.get("items_failed")).intValue();
        return "running: " + (total - failed) + " stored, " + failed + " dead-lettered, " + HistoryCommand.duration(r) + " elapsed";
    }

    static String summary(Map<String, Object> r) {
        int total = ((Number) r.get("items_total")).intValue();
        int failed = ((Number) r.get("items_failed")).intValue();
        return r.get("status") + " in " + HistoryCommand.duration(r) + ": " + total + " items, " + (total - failed)
                + " stored, " + failed + " dead-lettered, " + r.get("items_changed") + " changed"
                + (r.get("error") == null ? "" : " (" + r.get("error") + ")");
    }

    static int exitCode(String status) {
        return switch (status) {
            case "succeeded" -> CaravanCommand.EXIT_OK;
            case "partial" -> CaravanCommand.EXIT_PARTIAL;
            case "skipped" -> CaravanCommand.EXIT_SKIPPED;
            default -> CaravanCommand.EXIT_FAILED;
        };
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the run to end");
        }
    }
}
