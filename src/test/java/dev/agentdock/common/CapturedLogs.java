package dev.agentdock.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Every log line of the running application as the console prints it, message and stack trace, for "never logged" assertions. */
public final class CapturedLogs extends Handler {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> infoAndAbove = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    public static CapturedLogs install() {
        CapturedLogs logs = new CapturedLogs();
        Logger.getLogger("").addHandler(logs);
        return logs;
    }

    public void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    public String all() {
        return String.join("\n", lines);
    }

    /** The lines at INFO or above: what a production console shows (another suite may have turned DEBUG on). */
    public String shown() {
        return String.join("\n", infoAndAbove);
    }

    /** The lines at WARN or above. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void publish(LogRecord record) {
        // as the console prints it (application.properties: quarkus.log.console.filter=secrets)
        SecretsLogFilter.scrub(record);
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        StringWriter trace = new StringWriter();
        if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(trace));
        }
        String line = record.getLoggerName() + " " + message + "\n" + trace;
        lines.add(line);
        if (record.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
            infoAndAbove.add(line);
        }
        if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
            warnings.add(line);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
