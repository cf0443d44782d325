package caravan.runs;

/** A run in progress on this node, its live counts, and when it stops sending requests. */
public record ActiveRun(JobRun run, RunCounts counts, RunCutoff cutoff) {
}
