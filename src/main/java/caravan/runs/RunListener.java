package caravan.runs;

/** Told of every run that ended, with its final status and counts (metrics, notifications). */
@FunctionalInterface
public interface RunListener {

    /** {@code run} carries the final status, finish time and counts; called once per run, never for a run in progress. */
    void runEnded(JobRun run);
}
