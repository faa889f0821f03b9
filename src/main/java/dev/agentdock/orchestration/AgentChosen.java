package dev.agentdock.orchestration;

import java.util.UUID;

/**
 * A CDI event: {@code /api/orchestrate} made {@code agent} the session's active agent (already stored). The voice
 * package applies it to the session's call ({@code session.update} on the sideband). Fired synchronously on the
 * instance that decided, and asynchronously on every instance when its {@code agent_switch} frame comes through the
 * orchestration channel ({@link SessionEventBus}), which is how the instance holding the call hears of it.
 */
public record AgentChosen(UUID sessionId, String agent) {
}
