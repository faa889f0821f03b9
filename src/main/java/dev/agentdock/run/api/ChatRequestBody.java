package dev.agentdock.run.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/agents/{agent}/chat}: the user's message, optionally into an existing session, with a chosen run id. */
public record ChatRequestBody(
        @Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String sessionId,
        @NotBlank @Size(max = 100_000) String message,
        @Pattern(regexp = UUID_PATTERN, message = "must be a UUID") String runId) {

    static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
}
