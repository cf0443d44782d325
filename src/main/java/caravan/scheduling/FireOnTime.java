package caravan.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * Holds a fire that {@link OnTimeJobStore} handed over early until its scheduled time, so that the run starts on
 * time. Registered after the listeners whose checks may be done early (the fire's watermark) and before the
 * no-overlap rule, which must judge at the scheduled time whether the previous run is still going.
 */
public final class FireOnTime extends TriggerListenerSupport {

    private final Clock clock;
    private final long maxWaitMillis;

    /** {@code fireAhead}: how early fires are handed over; a longer wait than that (a clock jump) is not made. */
    public FireOnTime(Clock clock, Duration fireAhead) {
        this.clock = clock;
        this.maxWaitMillis = fireAhead.toMillis() + 1000;
    }

    @Override
    public String getName() {
        return "caravan-fire-on-time";
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        Date scheduled = context.getScheduledFireTime();
        long wait = scheduled == null ? 0 : scheduled.getTime() - clock.millis();
        if (wait > 0 && wait <= maxWaitMillis) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return false;
    }
}
