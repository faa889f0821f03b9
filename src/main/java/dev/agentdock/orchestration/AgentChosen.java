package dev.agentdock.orchestration;

import java.util.UUID;

/**
 * A CDI event: {@code /api/orchestrate} made {@code agent} the session's active agent (already stored). The voice
 * package applies it to the session's call ({@code session.update} on the sideband).
 */
public record AgentChosen(UUID sessionId, String agent) {
}
