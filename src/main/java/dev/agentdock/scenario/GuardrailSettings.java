package dev.agentdock.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/**
 * What the guardrails of a scenario's sessions do, per direction: whether text goes through the moderation model,
 * and what happens to personal data (PII) found in it. Absent settings mean {@link #DEFAULT}: moderate both ways,
 * let users share their own details, and keep the agents from echoing personal data back out.
 */
@RegisterForReflection
public record GuardrailSettings(Direction input, Direction output) {

    public static final Direction DEFAULT_INPUT = new Direction(true, PiiPolicy.ALLOW);
    public static final Direction DEFAULT_OUTPUT = new Direction(true, PiiPolicy.REDACT);
    public static final GuardrailSettings DEFAULT = new GuardrailSettings(DEFAULT_INPUT, DEFAULT_OUTPUT);

    public GuardrailSettings {
        input = input == null ? DEFAULT_INPUT : input;
        output = output == null ? DEFAULT_OUTPUT : output;
    }

    /** The guardrails of one direction (user input, or agent output). */
    @RegisterForReflection
    public record Direction(Boolean moderation, PiiPolicy pii) {
        public Direction {
            moderation = moderation == null || moderation;
            pii = pii == null ? PiiPolicy.ALLOW : pii;
        }
    }

    /** What to do with PII: let it through, replace it with a placeholder, or refuse the text. */
    @RegisterForReflection
    public enum PiiPolicy {
        ALLOW, REDACT, BLOCK;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static PiiPolicy fromWire(String value) {
            for (PiiPolicy p : values()) {
                if (p.wire().equalsIgnoreCase(value)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not one of allow, redact, block");
        }
    }
}
