package dev.agentdock.session;

import dev.agentdock.common.DomainException;
import java.util.UUID;

/** The session already has a running (or paused) run; at most one may be active. */
public final class ActiveRunException extends DomainException.Conflict {

    private final UUID sessionId;
    private final UUID activeRunId;

    public ActiveRunException(UUID sessionId, UUID activeRunId) {
        super("run-active", "session " + sessionId + " already has an active run"
                + (activeRunId == null ? "" : " (" + activeRunId + ")")
                + "; stop it first or send multitask=interrupt|rollback|enqueue");
        this.sessionId = sessionId;
        this.activeRunId = activeRunId;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public UUID activeRunId() {
        return activeRunId;
    }
}
