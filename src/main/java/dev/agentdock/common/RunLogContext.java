package dev.agentdock.common;

import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * A run's ids in the logging MDC ({@code run_id}, {@code session_id}: JSON logs carry them as fields) for every
 * line logged on this thread until {@link #close()}, which restores what was there before — so the virtual thread
 * of a run, the thread a tool runs on and a pooled thread that logs for a run all end as they began.
 */
public final class RunLogContext implements AutoCloseable {

    public static final String RUN_ID = "run_id";
    public static final String SESSION_ID = "session_id";

    private final Object previousRun;
    private final Object previousSession;

    private RunLogContext(Object previousRun, Object previousSession) {
        this.previousRun = previousRun;
        this.previousSession = previousSession;
    }

    /** Sets the ids (a null one is left out) until the returned context is closed. */
    public static RunLogContext enter(UUID sessionId, UUID runId) {
        RunLogContext context = new RunLogContext(MDC.get(RUN_ID), MDC.get(SESSION_ID));
        set(RUN_ID, runId == null ? null : runId.toString());
        set(SESSION_ID, sessionId == null ? null : sessionId.toString());
        return context;
    }

    @Override
    public void close() {
        set(RUN_ID, previousRun);
        set(SESSION_ID, previousSession);
    }

    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
