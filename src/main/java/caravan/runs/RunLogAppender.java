package caravan.runs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each line logged at INFO or above under a run's MDC to that run's {@link RunLog}, whichever thread logged
 * it. A logback appender beside the console's: what a run logged can be read back with its run (in a cluster, from
 * any node) without the log files of the node that ran it. Unsynchronized: threads of different runs need not wait
 * for each other here; each run's log takes its own lock.
 */
public final class RunLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final ActiveRuns runs;

    public RunLogAppender(ActiveRuns runs) {
        this.runs = runs;
        setName("caravan-run-log");
    }

    /**
     * Started and attached to the root logger, beside its other appenders; null when the logging is not logback's
     * (the lines are then not kept).
     */
    public static RunLogAppender attach(ActiveRuns runs) {
        if (!(LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root)) {
            return null;
        }
        RunLogAppender appender = new RunLogAppender(runs);
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        return appender;
    }

    /** Off the root logger and stopped. */
    public void detach() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
            return;
        }
        ActiveRun run = runs.logging(event.getMDCPropertyMap().get(RunHeaders.MDC_RUN));
        if (run == null) {
            return;
        }
        String message = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            message += " (" + thrown.getClassName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()) + ")";
        }
        run.log().add(new RunLog.Line(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(),
                event.getLoggerName(), message));
    }
}
