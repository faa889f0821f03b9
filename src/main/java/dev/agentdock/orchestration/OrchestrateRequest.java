package dev.agentdock.orchestration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/orchestrate}: the last exchange of a session, to decide which agent should lead it. */
public record OrchestrateRequest(
        @Pattern(regexp = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
                message = "must be a UUID") String sessionId,
        @NotBlank @Size(max = 200) String scenarioId,
        @Size(max = 200) String currentAgent,
        @NotBlank @Size(max = 20_000) String lastUserMessage,
        @Size(max = 20_000) String lastAgentMessage) {
}
