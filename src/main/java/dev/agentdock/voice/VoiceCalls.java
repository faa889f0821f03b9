package dev.agentdock.voice;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.realtime.RealtimeHistory;
import dev.agentdock.realtime.RealtimeSessionConfig;
import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import dev.agentdock.scenario.ScenarioRegistry;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Joining a session's voice call: by the id the browser reports, or by creating the call from its SDP offer. */
@ApplicationScoped
public class VoiceCalls {

    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,200}");

    /** A call as the API shows it. */
    public record CallView(String callId, UUID sessionId, String status, String heldBy, String activeAgent,
                           String endReason, OffsetDateTime endedAt) {
    }

    /** A call the service created: the browser's answer and where the call is shown. */
    public record Created(CallView call, String answer) {
    }

    private final SessionRepository sessions;
    private final VoiceCallStore store;
    private final AttachedCalls attached;
    private final CallLease lease;
    private final CallCreator creator;
    private final ScenarioRegistry scenarios;
    private final RealtimeSessionConfig sessionConfigs;
    private final OpenAiEndpoints openAi;
    private final RealtimeHistory history;

    VoiceCalls(SessionRepository sessions, VoiceCallStore store, AttachedCalls attached, CallLease lease,
               CallCreator creator, ScenarioRegistry scenarios, RealtimeSessionConfig sessionConfigs,
               OpenAiEndpoints openAi, RealtimeHistory history) {
        this.history = history;
        this.sessions = sessions;
        this.store = store;
        this.attached = attached;
        this.lease = lease;
        this.creator = creator;
        this.scenarios = scenarios;
        this.sessionConfigs = sessionConfigs;
        this.openAi = openAi;
    }

    public CallView attach(String userId, UUID sessionId, String callId) {
        if (callId == null || !CALL_ID.matcher(callId).matches()) {
            throw new DomainException.Invalid("call_id", "is required: letters, digits, '_' or '-', at most 200");
        }
        AgentSession session = owned(userId, sessionId);
        boolean known = store.find(callId).isPresent();
        VoiceCall call = store.attach(callId, session.id, session.userId);
        switch (attached.hold(call)) {
            case CALL_GONE -> {
                if (!known) {
                    store.forget(callId);
                }
                throw new DomainException.Invalid("call_id", "no open Realtime call has this id");
            }
            case UNREACHABLE -> throw new DomainException.UpstreamFailed(503, null,
                    "the call's server-side control socket could not be opened", null);
            case HELD_HERE -> {
                if (!known) {
                    seed(call);
                }
            }
            default -> {
                // held by another instance: the service is on the call
            }
        }
        return view(userId, sessionId, callId);
    }

    public Created create(String userId, UUID sessionId, String offer) {
        if (offer == null || !offer.strip().startsWith("v=0")) {
            throw new DomainException.Invalid("sdp", "the body must be an SDP offer (starting with v=0)");
        }
        AgentSession session = owned(userId, sessionId);
        Scenario scenario = session.scenarioId == null ? null : scenarios.find(session.scenarioId).orElse(null);
        String active = session.rootAgent != null ? session.rootAgent : session.agentName;
        ScenarioAgent agent = scenario == null ? null : scenario.agent(active).orElse(null);
        if (agent == null) {
            throw new DomainException.Invalid("session_id", "is not a voice session of a scenario (open it with /api/session2)");
        }
        CallCreator.Created created = creator.create(openAi.resolve(), offer, sessionConfigs.of(scenario, agent));
        CallView view = attach(userId, sessionId, created.callId());
        return new Created(view, created.answer());
    }

    /**
     * A new call of a session with history gets it as conversation items, so a dropped call resumes with context.
     * An item the client already put there (same id, from {@code /api/session2}'s {@code history}) is refused by the
     * call and stays once.
     */
    private void seed(VoiceCall call) {
        attached.heldHere(call.callId).ifPresent(held -> {
            for (Map<String, Object> item : history.items(call.sessionId)) {
                held.send(Map.of("type", "conversation.item.create", "item", item));
            }
        });
    }

    public CallView view(String userId, UUID sessionId, String callId) {
        AgentSession session = owned(userId, sessionId);
        VoiceCall call = store.find(sessionId, callId).orElseThrow(() -> new DomainException.NotFound("call", callId));
        String holder = VoiceCall.ATTACHED.equals(call.status) ? lease.holder(callId) : null;
        return new CallView(call.callId, call.sessionId, call.status, holder,
                session.rootAgent != null ? session.rootAgent : session.agentName, call.endReason, call.endedAt);
    }

    private AgentSession owned(String userId, UUID sessionId) {
        return QuarkusTransaction.requiringNew().call(() -> sessions.findOwned(sessionId, userId))
                .orElseThrow(() -> new DomainException.NotFound("session", sessionId));
    }
}
