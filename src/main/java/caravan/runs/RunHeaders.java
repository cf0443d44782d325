package caravan.runs;

/** Names a job sees on its exchange; also kept as exchange properties so helpers that drop headers keep the run. */
public final class RunHeaders {

    public static final String JOB_ID = "CaravanJobId";
    public static final String RUN_ID = "CaravanRunId";
    public static final String TRIGGER = "CaravanTrigger";
    public static final String FIRE_TIME = "CaravanFireTime";
    public static final String ITEM_KEY = "CaravanItemKey";
    /** On a run of a job chained after another: the job and the run whose end triggered it (exchange properties). */
    public static final String AFTER_JOB = "CaravanAfterJob";
    public static final String AFTER_RUN = "CaravanAfterRun";

    /** Keys in a Quartz JobDataMap that a manual, catch-up or backfill fire carries. */
    public static final String DATA_RUN_ID = "caravan.runId";
    public static final String DATA_TRIGGER = "caravan.trigger";
    public static final String DATA_FIRE_TIME = "caravan.fireTime";
    /** In a retry fire's JobDataMap: the run whose dead letters it redoes. */
    public static final String DATA_RETRY_OF = "caravan.retryOf";
    /** In the fire data of a retry that no operator asked for ({@code retryDeadLetters}). */
    public static final String DATA_RETRY_AUTOMATIC = "caravan.retryAutomatic";
    /** In the fire data of a chained run: the job and the run whose end fired it. */
    public static final String DATA_AFTER_JOB = "caravan.afterJob";
    public static final String DATA_AFTER_RUN = "caravan.afterRun";

    /**
     * The headers camel-quartz puts on a fire's exchange. A run takes them off once it has read them: they hold
     * scheduler objects (the job detail, its data map, the trigger) that a fan-out would copy into every item and
     * camel-http would turn into text for every request before filtering them out.
     */
    public static final java.util.List<String> QUARTZ = java.util.List.of("calendar", "fireTime", "jobDetail",
            "jobInstance", "jobRunTime", "mergedJobDataMap", "nextFireTime", "previousFireTime", "refireCount", "result",
            "scheduledFireTime", "scheduler", "trigger", "triggerGroup", "triggerName");

    /** MDC keys on every log line of a run. */
    public static final String MDC_JOB = "caravan.job";
    public static final String MDC_RUN = "caravan.run";

    private RunHeaders() {
    }
}
