package caravan.scheduling;

import caravan.config.Durations;
import caravan.config.ScheduleSettings;
import caravan.runs.RunStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.CronTrigger;
import org.quartz.TriggerKey;

/**
 * The {@code quartz:} component as Caravan runs it. It reads Caravan's own options off the URI before camel-quartz
 * sees them ({@code catchup=skip|last|all}, {@code catchupMax=N}, {@code runTimeout=10m},
 * {@code retryDeadLetters=30m}, {@code retryDeadLettersMax=N}, {@code after=JOB,...}, {@code afterStatus=...}) and sets defaults that make schedules persistent
 * and time explicit: the trigger stays in the job store when the route stops ({@code deleteJob=false}), Quartz never
 * replays missed fires itself (misfire instruction "do nothing": Caravan's catch-up policy decides), and a cron
 * without {@code trigger.timeZone} runs in {@code caravan.scheduler.time-zone}. {@code recovery=true} asks Quartz to
 * run a job again when the node running it died.
 */
public final class JobQuartzComponent extends QuartzComponent {

    public static final String CATCHUP = "catchup";
    public static final String CATCHUP_MAX = "catchupMax";
    /** How long a run of the job may go on sending requests ({@code 0}: no limit); default {@code caravan.run-timeout}. */
    public static final String RUN_TIMEOUT = "runTimeout";
    /** How long after a run with dead letters a run retries them ({@code 0}: never); default {@code caravan.retry-dead-letters}. */
    public static final String RETRY_DEAD_LETTERS = "retryDeadLetters";
    /** How many such retries in a row at most; default {@code caravan.retry-dead-letters-max}. */
    public static final String RETRY_DEAD_LETTERS_MAX = "retryDeadLettersMax";
    /** {@code recovery=true}: a run cut by a node's death is run again once, as {@code recovery} (camel-quartz's recoverableJob). */
    public static final String RECOVERY = "recovery";
    /** The jobs whose runs' ends trigger this one ({@link JobChains}), comma-separated. */
    public static final String AFTER = "after";
    /** Which of their ends do: {@code succeeded} (the default), {@code partial}, {@code failed}, comma-separated. */
    public static final String AFTER_STATUS = "afterStatus";
    /** The cron of a job that runs only after others: Quartz's last year, so it never fires on its own. */
    public static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final Set<RunStatus> CHAIN_STATUSES = EnumSet.of(RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED);

    /**
     * A job's catch-up policy and cap, its run timeout (zero: none), how long after a run its dead letters are
     * retried on their own (zero: never), how many times in a row at most, and the jobs whose runs ending in one
     * of {@code afterStatus} trigger it (none: it runs on its schedule only).
     */
    public record JobOptions(CatchUpPolicy catchUp, int catchUpMax, Duration runTimeout, Duration retryDeadLetters,
            int retryDeadLettersMax, List<String> after, Set<RunStatus> afterStatus) {

        public JobOptions {
            after = List.copyOf(after);
            afterStatus = afterStatus.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(afterStatus));
        }

        /** Whether a run of {@code jobId} that ended {@code status} triggers this job. */
        public boolean runsAfter(String jobId, RunStatus status) {
            return after.contains(jobId) && afterStatus.contains(status);
        }
    }

    private final ScheduleSettings settings;
    private final Map<TriggerKey, JobOptions> options = new ConcurrentHashMap<>();
    private Duration lateFire;

    public JobQuartzComponent(ScheduleSettings settings) {
        this.settings = settings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Object catchUp = parameters.remove(CATCHUP);
        Object cap = parameters.remove(CATCHUP_MAX);
        Object runTimeout = parameters.remove(RUN_TIMEOUT);
        Object retryDeadLetters = parameters.remove(RETRY_DEAD_LETTERS);
        Object retryDeadLettersMax = parameters.remove(RETRY_DEAD_LETTERS_MAX);
        Object recovery = parameters.remove(RECOVERY);
        Object after = parameters.remove(AFTER);
        Object afterStatus = parameters.remove(AFTER_STATUS);
        List<String> upstream = after == null ? List.of() : jobIds(after.toString());
        if (afterStatus != null && upstream.isEmpty()) {
            throw new IllegalArgumentException(AFTER_STATUS + "=" + afterStatus + " needs " + AFTER
                    + "=JOB: the jobs whose runs' ends trigger this one");
        }
        Set<RunStatus> statuses = afterStatus == null ? EnumSet.of(RunStatus.SUCCEEDED) : statuses(afterStatus.toString());
        if (!upstream.isEmpty() && !parameters.containsKey("cron")
                && parameters.keySet().stream().noneMatch(k -> k.startsWith("trigger."))) {
            parameters.put("cron", NEVER); // chained only: no schedule of its own
        }
        if (recovery != null) {
            parameters.put("recoverableJob", recovery);
        }
        JobOptions jobOptions = new JobOptions(
                catchUp == null ? settings.catchUp() : CatchUpPolicy.parse(catchUp.toString(), CATCHUP),
                cap == null ? settings.catchUpMax() : wholeNumber(CATCHUP_MAX, cap.toString(), 0),
                runTimeout == null ? settings.runTimeout() : Durations.parse(RUN_TIMEOUT, runTimeout.toString()),
                retryDeadLetters == null ? settings.retryDeadLetters() : Durations.parse(RETRY_DEAD_LETTERS, retryDeadLetters.toString()),
                retryDeadLettersMax == null ? settings.retryDeadLettersMax()
                        : wholeNumber(RETRY_DEAD_LETTERS_MAX, retryDeadLettersMax.toString(), 1),
                upstream, statuses);
        parameters.putIfAbsent("deleteJob", "false");
        parameters.putIfAbsent("trigger.misfireInstruction", Integer.toString(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING));
        if (parameters.containsKey("cron")) {
            parameters.putIfAbsent("trigger.timeZone", settings.timeZone().getId());
        }
        QuartzEndpoint endpoint = (QuartzEndpoint) super.createEndpoint(uri, remaining, parameters);
        options.put(endpoint.getTriggerKey(), jobOptions);
        return endpoint;
    }

    private static int wholeNumber(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + "=" + value + " must be a whole number, " + min + " or more");
    }

    private static List<String> jobIds(String value) {
        List<String> ids = Arrays.stream(value.split(",")).map(String::trim).filter(id -> !id.isEmpty()).distinct().toList();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(AFTER + "=" + value + " names no job: write the ids of the jobs"
                    + " whose runs' ends trigger this one, comma-separated");
        }
        return ids;
    }

    private static Set<RunStatus> statuses(String value) {
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String name : value.split(",")) {
            RunStatus status = null;
            try {
                status = name.isBlank() ? null : RunStatus.fromDb(name.trim());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (status == null || !CHAIN_STATUSES.contains(status)) {
                throw new IllegalArgumentException(AFTER_STATUS + "=" + value + ": '" + name.trim() + "' is not one of"
                        + " succeeded, partial, failed (comma-separated)");
            }
            statuses.add(status);
        }
        return statuses;
    }

    /** The job's options (catch-up, run timeout, automatic retries); the defaults when the endpoint is unknown or null. */
    public JobOptions options(TriggerKey key) {
        return key == null ? defaults() : options.getOrDefault(key, defaults());
    }

    /** The run timeout of the job whose route this is (zero: none); the default for a route not started by quartz. */
    public Duration runTimeout(Route route) {
        JobOptions job = route.getEndpoint() instanceof QuartzEndpoint q ? options.get(q.getTriggerKey()) : null;
        return (job == null ? defaults() : job).runTimeout();
    }

    private JobOptions defaults() {
        return new JobOptions(settings.catchUp(), settings.catchUpMax(), settings.runTimeout(), settings.retryDeadLetters(),
                settings.retryDeadLettersMax(), List.of(), Set.of());
    }

    /** In a cluster: a scheduled fire later than this counts as missed (catch-up decides); null: Quartz's misfire threshold only. */
    public void setLateFire(Duration lateFire) {
        this.lateFire = lateFire;
    }

    public Duration lateFire() {
        return lateFire;
    }

    public ScheduleSettings settings() {
        return settings;
    }
}
