package caravan.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What a logger (and the loggers below it) wrote while this is open: {@code try (LogCapture log = LogCapture.of(X.class))}. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    /** A logger by name: a package ({@code "caravan.routes"}) captures every logger in it. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    public static LogCapture root() {
        return new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Every event so far (logger, thread, MDC, exception); safe while other threads log. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // the appender appends under its own lock
            return List.copyOf(appender.list);
        }
    }

    /** Every message so far, formatted; safe while other threads log. */
    public List<String> messages() {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The messages logged at {@code level}. */
    public List<String> messages(Level level) {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
