package dev.agentdock.guard;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which side of a turn a text comes from: what the user sends, or what an agent answers. */
public enum Stage {
    INPUT, OUTPUT;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
