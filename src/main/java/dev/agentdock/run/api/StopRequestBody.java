package dev.agentdock.run.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public record StopRequestBody(
        @NotNull @Pattern(regexp = ChatRequestBody.UUID_PATTERN, message = "must be a UUID") String sessionId,
        @Pattern(regexp = ChatRequestBody.UUID_PATTERN, message = "must be a UUID") String runId) {
}
