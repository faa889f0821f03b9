package dev.agentdock.common;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every console line goes through {@link Secrets#scrub} ({@code quarkus.log.console.filter=secrets}): libraries
 * log what they got at DEBUG (an upstream error body quoting the key it was sent, inside an exception), and their
 * lines are not ours to change at the source. A record that carries a secret in its message or its exceptions is
 * rewritten; every other record passes untouched.
 */
@LoggingFilter(name = "secrets")
public final class SecretsLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        scrub(record);
        return true;
    }

    /** Rewrites {@code record} in place if it carries a secret. */
    public static void scrub(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String safe = Secrets.scrub(message);
        if (safe != null && !safe.equals(message)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(safe, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(safe);
            }
            record.setParameters(null);
        }
        if (record.getThrown() != null && carriesSecret(record.getThrown())) {
            record.setThrown(scrubbed(record.getThrown()));
        }
    }

    private static boolean carriesSecret(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.toString();
            if (!text.equals(Secrets.scrub(text))) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (carriesSecret(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A copy of the chain with scrubbed messages and the same stack traces. */
    private static Throwable scrubbed(Throwable error) {
        Throwable cause = error.getCause() == null || error.getCause() == error ? null : scrubbed(error.getCause());
        RuntimeException copy = new RuntimeException(Secrets.scrub(error.toString()), cause, true, true) {
            @Override
            public String toString() {
                return getMessage();
            }
        };
        copy.setStackTrace(error.getStackTrace());
        for (Throwable suppressed : error.getSuppressed()) {
            copy.addSuppressed(scrubbed(suppressed));
        }
        return copy;
    }
}
