package dev.agentdock.run.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Every kind of event a run emits, in wire spelling. The terminal ones end the stream. */
public enum RunEventType {
    RUN_STARTED, STEP_STARTED, STEP_DELTA, TOOL_CALL_STARTED, TOOL_CALL_COMPLETED, STEP_COMPLETED,
    RUN_COMPLETED, RUN_CANCELLED, RUN_FAILED, RUN_PAUSED, RUN_QUEUED, GUARDRAIL_TRIPPED;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /** After a terminal event nothing more is emitted for the run (a paused run resumes as a new stream). */
    public boolean isTerminal() {
        return this == RUN_COMPLETED || this == RUN_CANCELLED || this == RUN_FAILED || this == RUN_PAUSED
                || this == RUN_QUEUED || this == GUARDRAIL_TRIPPED;
    }

    /** The type of a wire name; an unknown name is an {@link IllegalArgumentException}. */
    public static RunEventType fromWire(String wire) {
        for (RunEventType t : values()) {
            if (t.wire().equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a run event type: " + wire);
    }
}
