package dev.agentdock.run;

import dev.agentdock.session.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How a run ended, for the JSON (non-streaming) form of a turn. */
public record RunOutcome(UUID runId, UUID sessionId, RunStatus status, String outputText, Integer lastSequence,
                         List<Map<String, Object>> toolCalls, Map<String, Object> usage, String error) {
}
