package dev.agentdock.session;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a run is in its life. {@link #RUNNING} and {@link #PAUSED} are active: at most one per session. */
public enum RunStatus {
    PENDING, RUNNING, PAUSED, COMPLETED, INTERRUPTED, CANCELLED, ERROR;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }

    public boolean isFinished() {
        return this == COMPLETED || this == INTERRUPTED || this == CANCELLED || this == ERROR;
    }

    public static RunStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
