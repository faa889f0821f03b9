package dev.agentdock.orchestration;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioRegistry;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Decides the session's root agent: the model's classification when it answers with an agent of the scenario,
 * the keyword fallback otherwise. A switch is recorded on the session, announced on its channel and applied to the
 * session's voice call ({@link AgentChosen}).
 */
@ApplicationScoped
public class Orchestrator {

    private final ScenarioRegistry scenarios;
    private final RootAgentClassifier classifier;
    private final SessionRepository sessions;
    private final SessionEventBus bus;
    private final Event<AgentChosen> chosen;

    Orchestrator(ScenarioRegistry scenarios, RootAgentClassifier classifier, SessionRepository sessions, SessionEventBus bus,
                 Event<AgentChosen> chosen) {
        this.scenarios = scenarios;
        this.classifier = classifier;
        this.sessions = sessions;
        this.bus = bus;
        this.chosen = chosen;
    }

    public OrchestrationDecision decide(String userId, OrchestrateRequest request) {
        Scenario scenario = scenarios.find(request.scenarioId())
                .orElseThrow(() -> new DomainException.NotFound("scenario", request.scenarioId()));
        AgentSession session = null;
        if (request.sessionId() != null) {
            UUID id = Ids.parse("session_id", request.sessionId());
            session = sessions.findOwned(id, userId).orElseThrow(() -> new DomainException.NotFound("session", id));
        }
        String current = request.currentAgent() != null ? request.currentAgent()
                : session != null && session.rootAgent != null ? session.rootAgent : scenario.defaultRootAgent();
        if (scenario.agent(current).isEmpty()) {
            throw new DomainException.Invalid("current_agent", "'" + current + "' is not an agent of scenario "
                    + scenario.id() + "; valid: " + scenario.agentNames());
        }
        OrchestrationDecision decision = classifier.classify(scenario, current, request.lastUserMessage(),
                        request.lastAgentMessage())
                .orElseGet(() -> KeywordRouter.decide(scenario, current, request.lastUserMessage(), "model unavailable"));
        if (decision.switched() && session != null) {
            UUID id = session.id;
            QuarkusTransaction.requiringNew().run(() -> sessions.update("rootAgent = ?1, updatedAt = ?2 where id = ?3",
                    decision.rootAgent(), java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), id));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("from", current);
            data.put("to", decision.rootAgent());
            data.put("reason", decision.reason());
            data.put("decided_by", decision.decidedBy());
            data.put("confidence", decision.confidence());
            bus.publish(new SessionEvent("agent_switch", id, session.userId, Instant.now(), data));
            // a voice call of the session is told too (session.update on its sideband)
            chosen.fire(new AgentChosen(id, decision.rootAgent()));
        }
        return decision;
    }
}
