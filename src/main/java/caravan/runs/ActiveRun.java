package caravan.runs;

/** A run in progress on this node and its live counts. */
public record ActiveRun(JobRun run, RunCounts counts) {
}
