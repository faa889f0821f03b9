package dev.agentdock.common;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that is out of reach (refused, reset, shut down, no connection in time) from a statement that
 * failed on its own merits: the first is worth a retry and a 503, the second is a bug or a conflict.
 */
public final class StorageFailures {

    private StorageFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P01..57P03: admin / crash shutdown, cannot connect now
                if (state.startsWith("08") || state.startsWith("57P")) {
                    return true;
                }
            }
            String name = t.getClass().getName();
            if (name.equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }
}
