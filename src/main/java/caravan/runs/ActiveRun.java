package caravan.runs;

/** A run in progress on this node, its live counts, and its deadline (null: the run has no timeout). */
public record ActiveRun(JobRun run, RunCounts counts, RunDeadline deadline) {
}
