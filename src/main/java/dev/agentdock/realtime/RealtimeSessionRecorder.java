package dev.agentdock.realtime;

import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** Records a voice session as an {@code ai_agent_sessions} row, so its steps, runs and events have an owner. */
@ApplicationScoped
public class RealtimeSessionRecorder {

    private final SessionRepository sessions;

    RealtimeSessionRecorder(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Transactional
    public void record(UUID sessionId, String userId, String scenarioId, String rootAgent) {
        AgentSession session = sessions.create(sessionId, userId, rootAgent);
        session.scenarioId = scenarioId;
        session.rootAgent = rootAgent;
    }
}
