package dev.agentdock.session;

import java.time.OffsetDateTime;
import java.util.UUID;

public record SessionView(UUID sessionId, String userId, String agentName, String scenarioId, String rootAgent,
                          String title, String summary, boolean isActive, UUID forkedFromSessionId,
                          Integer forkedAtSequence, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public static SessionView of(AgentSession s) {
        return new SessionView(s.id, s.userId, s.agentName, s.scenarioId, s.rootAgent, s.title, s.summary, s.active,
                s.forkedFromSessionId, s.forkedAtSequence, s.createdAt, s.updatedAt);
    }
}
