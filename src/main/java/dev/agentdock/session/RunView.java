package dev.agentdock.session;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A run as clients see it. */
public record RunView(UUID runId, UUID sessionId, String agentName, String status, String instanceId,
                      OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime heartbeatAt,
                      Long durationMs, int inputTokens, int outputTokens, int totalTokens, int stepCount,
                      Integer lastSequence, String error) {

    public static RunView of(AgentRun r) {
        Long duration = r.completedAt == null ? null
                : java.time.Duration.between(r.startedAt, r.completedAt).toMillis();
        return new RunView(r.id, r.sessionId, r.agentName, r.status.wire(), r.instanceId, r.startedAt,
                r.completedAt, r.heartbeatAt, duration, r.inputTokens, r.outputTokens, r.totalTokens, r.stepCount,
                r.lastSequence, r.error);
    }
}
