package dev.agentdock.session;

import dev.agentdock.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Read-only views of a user's sessions. */
@ApplicationScoped
public class SessionQueries {

    private final SessionRepository sessions;
    private final StepRepository steps;
    private final RunRepository runs;

    SessionQueries(SessionRepository sessions, StepRepository steps, RunRepository runs) {
        this.sessions = sessions;
        this.steps = steps;
        this.runs = runs;
    }

    public record SessionDetail(SessionView session, List<StepView> steps, List<RunView> runs) {
    }

    public List<SessionView> listForAgent(String userId, String agentName, int page, int size) {
        return sessions.listByUserAndAgent(userId, agentName, page, size).stream().map(SessionView::of).toList();
    }

    /** The user's most recently active sessions, with any agent. */
    public List<SessionView> recent(String userId, int limit) {
        return sessions.listRecentByUser(userId, limit).stream().map(SessionView::of).toList();
    }

    public SessionDetail detail(String userId, UUID sessionId) {
        AgentSession session = owned(userId, sessionId);
        return new SessionDetail(SessionView.of(session),
                steps.findBySession(sessionId, null, null).stream().map(StepView::of).toList(),
                runs.listBySession(sessionId).stream().map(RunView::of).toList());
    }

    public AgentSession owned(String userId, UUID sessionId) {
        return sessions.findOwned(sessionId, userId).orElseThrow(() -> new DomainException.NotFound("session", sessionId));
    }
}
