package caravan.runs;

/**
 * A run in progress on this node, its live counts, when it stops sending requests, for a retry run the items it
 * redoes (null otherwise), and what it logs.
 */
public record ActiveRun(JobRun run, RunCounts counts, RunCutoff cutoff, RetryItems retry, RunLog log) {

    /** The item ended in this run as a result or a dead letter: a retry run keeps track of the items it redoes. */
    public void ended(String itemKey) {
        if (retry != null) {
            retry.ended(itemKey);
        }
    }
}
