package dev.agentdock.orchestration;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Something the Dock should hear about a session: an agent switch, a run's progress, a tool result, a verdict. */
public record SessionEvent(String type, UUID sessionId, String userId, Instant ts, Map<String, Object> data) {
}
