package caravan.runs;

/** Names a job sees on its exchange; also kept as exchange properties so helpers that drop headers keep the run. */
public final class RunHeaders {

    public static final String JOB_ID = "CaravanJobId";
    public static final String RUN_ID = "CaravanRunId";
    public static final String TRIGGER = "CaravanTrigger";
    public static final String FIRE_TIME = "CaravanFireTime";
    public static final String ITEM_KEY = "CaravanItemKey";

    /** Keys in a Quartz JobDataMap that a manual, catch-up or backfill fire carries. */
    public static final String DATA_RUN_ID = "caravan.runId";
    public static final String DATA_TRIGGER = "caravan.trigger";
    public static final String DATA_FIRE_TIME = "caravan.fireTime";

    /** MDC keys on every log line of a run. */
    public static final String MDC_JOB = "caravan.job";
    public static final String MDC_RUN = "caravan.run";

    private RunHeaders() {
    }
}
