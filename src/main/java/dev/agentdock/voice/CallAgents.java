package dev.agentdock.voice;

import dev.agentdock.orchestration.AgentChosen;
import dev.agentdock.realtime.RealtimeSessionConfig;
import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import dev.agentdock.scenario.ScenarioRegistry;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the voice model speaking as the session's active agent: when {@code /api/orchestrate} chooses another agent,
 * each call of the session held here gets a {@code session.update} with that agent's instructions and tools (its
 * handoff tools included). A call held by another instance hears of it through the {@code agent_switch} frame on the
 * orchestration channel (pushed, see {@link AgentChosen}); a periodic pass ({@code agent-catch-up-interval}) compares
 * the stored active agent with the one the call speaks as, for a frame lost while Redis was away. Handoffs the SDK
 * makes on the call need nothing sent: the SDK sent its own {@code session.update}; {@link CallHandoffs} only records
 * the agent the call now speaks as.
 */
@ApplicationScoped
public class CallAgents {

    private final AttachedCalls attached;
    private final SessionRepository sessions;
    private final ScenarioRegistry scenarios;
    private final RealtimeSessionConfig configs;

    CallAgents(AttachedCalls attached, SessionRepository sessions, ScenarioRegistry scenarios,
               RealtimeSessionConfig configs) {
        this.attached = attached;
        this.sessions = sessions;
        this.scenarios = scenarios;
        this.configs = configs;
    }

    /** Decided on this instance: applied before {@code /api/orchestrate} answers. */
    void chosen(@Observes AgentChosen chosen) {
        apply(chosen);
    }

    /** Heard on the orchestration channel: decided anywhere, possibly on an instance not holding the call. */
    void heard(@ObservesAsync AgentChosen chosen) {
        try {
            apply(chosen);
        } catch (RuntimeException e) {
            Log.debugf("session %s: orchestrated agent not applied to its call (%s); the catch-up pass retries",
                    chosen.sessionId(), e.getMessage());
        }
    }

    private void apply(AgentChosen chosen) {
        for (HeldCall call : attached.all()) {
            if (call.sessionId.equals(chosen.sessionId())) {
                reconcile(call, true);
            }
        }
    }

    /**
     * The fallback pass: catches up on a choice whose {@code agent_switch} frame this instance never heard (Redis
     * restarted in between). {@code agent-catch-up-interval: off} turns it off, leaving only the push.
     */
    @Scheduled(every = "${agentdock.voice.agent-catch-up-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void catchUp() {
        for (HeldCall call : attached.all()) {
            try {
                reconcile(call, false);
            } catch (RuntimeException e) {
                Log.debugf("call %s: active agent not compared (%s)", call.callId, e.getMessage());
            }
        }
    }

    /**
     * Sends the session's active agent to the call if it speaks as another one. A call whose agent is not known yet
     * (just held) adopts the stored one, unless {@code chosen} says an orchestration just changed it.
     */
    void reconcile(HeldCall call, boolean chosen) {
        // the decider's own event, the frame it published and the catch-up pass may meet: one update per change
        synchronized (call) {
            reconcileNow(call, chosen);
        }
    }

    private void reconcileNow(HeldCall call, boolean chosen) {
        AgentSession session = QuarkusTransaction.requiringNew().call(() -> sessions.findById(call.sessionId));
        if (session == null) {
            return;
        }
        String active = session.rootAgent != null ? session.rootAgent : session.agentName;
        String speaking = call.agent;
        if (active == null || active.equals(speaking)) {
            return;
        }
        if (speaking == null && !chosen) {
            // held just now (attach or takeover): the browser configured the call as the session's agent
            call.agent = active;
            return;
        }
        Optional<Scenario> scenario = Optional.ofNullable(session.scenarioId).flatMap(scenarios::find);
        Optional<ScenarioAgent> agent = scenario.flatMap(s -> s.agent(active));
        if (agent.isEmpty()) {
            return;
        }
        Map<String, Object> full = configs.of(scenario.get(), agent.get());
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("type", "realtime");
        update.put("instructions", full.get("instructions"));
        update.put("tools", full.get("tools"));
        if (call.send(Map.of("type", "session.update", "session", update))) {
            call.agent = active;
            Log.infof("call %s: now speaking as %s (orchestrated)", call.callId, active);
        }
    }
}
