package dev.baton.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the log records of the running application at {@code level} or above while open. */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One captured record. */
    public record Line(Level level, String logger, String message, Throwable thrown) {
        @Override
        public String toString() {
            return level + " [" + logger + "] " + message + (thrown == null ? "" : " " + thrown);
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture(Level level) {
        setLevel(level);
        root.addHandler(this);
    }

    public static LogCapture from(Level level) {
        return new LogCapture(level);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The captured lines at {@code level} or above. */
    public List<Line> atLeast(Level level) {
        return lines.stream().filter(l -> l.level().intValue() >= level.intValue()).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            String message = record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            lines.add(new Line(record.getLevel(), record.getLoggerName(), message, record.getThrown()));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
