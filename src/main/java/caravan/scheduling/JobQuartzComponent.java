package caravan.scheduling;

import caravan.config.Durations;
import caravan.config.ScheduleSettings;
import java.time.Duration;
import java.util.Map;
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
 * {@code retryDeadLetters=30m}, {@code retryDeadLettersMax=N}) and sets defaults that make schedules persistent
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

    /**
     * A job's catch-up policy and cap, its run timeout (zero: none), and how long after a run its dead letters are
     * retried on their own (zero: never), how many times in a row at most.
     */
    public record JobOptions(CatchUpPolicy catchUp, int catchUpMax, Duration runTimeout, Duration retryDeadLetters,
            int retryDeadLettersMax) {
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
        if (recovery != null) {
            parameters.put("recoverableJob", recovery);
        }
        JobOptions jobOptions = new JobOptions(
                catchUp == null ? settings.catchUp() : CatchUpPolicy.parse(catchUp.toString(), CATCHUP),
                cap == null ? settings.catchUpMax() : wholeNumber(CATCHUP_MAX, cap.toString(), 0),
                runTimeout == null ? settings.runTimeout() : Durations.parse(RUN_TIMEOUT, runTimeout.toString()),
                retryDeadLetters == null ? settings.retryDeadLetters() : Durations.parse(RETRY_DEAD_LETTERS, retryDeadLetters.toString()),
                retryDeadLettersMax == null ? settings.retryDeadLettersMax()
                        : wholeNumber(RETRY_DEAD_LETTERS_MAX, retryDeadLettersMax.toString(), 1));
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
                settings.retryDeadLettersMax());
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
