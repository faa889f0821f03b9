package dev.agentdock.voice;

import dev.agentdock.orchestration.SessionEvent;
import dev.agentdock.orchestration.SessionEventBus;
import dev.agentdock.realtime.RealtimeSessionConfig;
import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import dev.agentdock.scenario.ScenarioRegistry;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the Agents SDK's handoffs on a call: a {@code transfer_to_<agent>} function call moves the session's active
 * agent — if the scenario lets the current agent hand off to that one — and is announced as {@code agent_switch}
 * ({@code decided_by: handoff}). The browser's SDK answers the call and sends the new agent's {@code session.update};
 * from then on tool calls run under the new agent's rules.
 */
@ApplicationScoped
public class CallHandoffs {

    private final SessionRepository sessions;
    private final ScenarioRegistry scenarios;
    private final SessionEventBus bus;
    private final CallTools tools;

    CallHandoffs(SessionRepository sessions, ScenarioRegistry scenarios, SessionEventBus bus, CallTools tools) {
        this.sessions = sessions;
        this.scenarios = scenarios;
        this.bus = bus;
        this.tools = tools;
    }

    static boolean isHandoff(String name) {
        return name != null && name.startsWith("transfer_to_");
    }

    void follow(HeldCall call, String toolCallId, String name) {
        if (!tools.record(call, toolCallId, name, "{}", VoiceToolCall.COMPLETED)) {
            return;
        }
        AgentSession session = QuarkusTransaction.requiringNew().call(() -> sessions.findById(call.sessionId));
        Optional<Scenario> scenario = Optional.ofNullable(session.scenarioId).flatMap(scenarios::find);
        String current = session.rootAgent != null ? session.rootAgent : session.agentName;
        Optional<ScenarioAgent> target = scenario.flatMap(s -> s.agents().stream()
                .filter(a -> RealtimeSessionConfig.handoffToolName(a.name()).equals(name)).findFirst());
        boolean allowed = target.isPresent() && scenario.flatMap(s -> s.agent(current))
                .map(a -> a.handoffs().contains(target.get().name())).orElse(false);
        if (!allowed) {
            Log.warnf("call %s: handoff %s from %s is not in scenario %s's graph; the active agent stays %s",
                    call.callId, name, current, session.scenarioId, current);
            return;
        }
        String to = target.get().name();
        // the SDK sends the new agent's session.update itself; the call speaks as `to` from here on. Under the call's
        // lock, as CallAgents compares: between the two writes it would see the old stored agent and send it back
        synchronized (call) {
            call.agent = to;
            QuarkusTransaction.requiringNew().run(() -> sessions.update("rootAgent = ?1, updatedAt = ?2 where id = ?3",
                    to, OffsetDateTime.now(ZoneOffset.UTC), call.sessionId));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", current);
        data.put("to", to);
        data.put("reason", "handoff " + name + " on call " + call.callId);
        data.put("decided_by", "handoff");
        data.put("call_id", call.callId);
        bus.publish(new SessionEvent("agent_switch", call.sessionId, call.userId, Instant.now(), data));
        Log.infof("call %s: active agent %s -> %s (handoff)", call.callId, current, to);
    }
}
