package dev.agentdock.voice;

import dev.agentdock.orchestration.SessionEvent;
import dev.agentdock.orchestration.SessionEventBus;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.run.RunGuardrails;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scenario's guardrails on speech. The output guardrail judges an assistant transcript while it streams (at the
 * end of a sentence, or every {@value #CHECK_EVERY_CHARS} characters, so moderation is not asked once per word) and
 * when it is final; a block cancels the response on the call ({@code response.cancel}), is published as
 * {@code guardrail_tripped} and marks the item's step. The input guardrail judges each user transcription the same way.
 */
@ApplicationScoped
public class CallGuardrails {

    static final int CHECK_EVERY_CHARS = 40;

    private final RunGuardrails guardrails;
    private final SessionAgents agents;
    private final SessionRepository sessions;
    private final SessionEventBus bus;

    CallGuardrails(RunGuardrails guardrails, SessionAgents agents, SessionRepository sessions, SessionEventBus bus) {
        this.guardrails = guardrails;
        this.agents = agents;
        this.sessions = sessions;
        this.bus = bus;
    }

    void delta(HeldCall call, String itemId, String delta) {
        if (itemId == null || call.tripped.contains(itemId)) {
            return;
        }
        StringBuilder said = call.speaking.computeIfAbsent(itemId, k -> new StringBuilder());
        said.append(delta);
        int checkedUpTo = call.checkedUpTo.getOrDefault(itemId, 0);
        boolean sentence = delta.strip().matches(".*[.!?]$");
        if (sentence || said.length() - checkedUpTo >= CHECK_EVERY_CHARS) {
            call.checkedUpTo.put(itemId, said.length());
            judgeOutput(call, itemId, said.toString());
        }
    }

    void transcriptDone(HeldCall call, String itemId, String transcript) {
        call.speaking.remove(itemId);
        call.checkedUpTo.remove(itemId);
        if (itemId != null && !call.tripped.contains(itemId)) {
            judgeOutput(call, itemId, transcript);
        }
    }

    /** True when the user's words may go on; a block cancels the response the words started. */
    boolean userSaid(HeldCall call, String itemId, String transcript) {
        RunGuardrails.Verdict verdict = guardrails.input(agent(call), transcript);
        if (!verdict.blocked()) {
            return true;
        }
        call.tripped.add(itemId);
        call.send(Map.of("type", "response.cancel"));
        publish(call, itemId, verdict);
        return false;
    }

    private void judgeOutput(HeldCall call, String itemId, String text) {
        RunGuardrails.Verdict verdict = guardrails.output(agent(call), text);
        if (!verdict.blocked()) {
            return;
        }
        call.tripped.add(itemId);
        call.send(Map.of("type", "response.cancel"));
        Log.infof("call %s: output guardrail tripped on item %s; response cancelled", call.callId, itemId);
        publish(call, itemId, verdict);
    }

    private void publish(HeldCall call, String itemId, RunGuardrails.Verdict verdict) {
        Map<String, Object> data = new LinkedHashMap<>(verdict.event());
        data.put("call_id", call.callId);
        data.put("item_id", itemId);
        bus.publish(new SessionEvent("guardrail_tripped", call.sessionId, call.userId, Instant.now(), data));
    }

    /** The active agent, whose policy applies (a session's own overrides keep it). */
    private AgentSpec agent(HeldCall call) {
        var session = QuarkusTransaction.requiringNew().call(() -> sessions.findById(call.sessionId));
        return agents.forSession(session);
    }
}
