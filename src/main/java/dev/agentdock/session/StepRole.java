package dev.agentdock.session;

import com.fasterxml.jackson.annotation.JsonValue;

/** The role of a step: exactly the role of the LLM message it is. */
public enum StepRole {
    SYSTEM, USER, ASSISTANT, TOOL;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    public static StepRole fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
