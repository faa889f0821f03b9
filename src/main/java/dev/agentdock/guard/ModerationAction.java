package dev.agentdock.guard;

import com.fasterxml.jackson.annotation.JsonValue;

/** What to do with a text: pass it, pass its redacted form, or stop it. */
public enum ModerationAction {
    ALLOW, REDACT, BLOCK;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
