package dev.agentdock.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.DomainException.FieldError;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import dev.agentdock.voice.VoiceToolGate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Tool calls made through the API rather than by a model: who may call which tool, arguments checked against the
 * tool's schema before it runs, then the same {@link ToolRunner} agent turns use (lookup, time limit, errors).
 */
@ApplicationScoped
public class DirectToolCalls {

    private final ToolRegistry registry;
    private final ToolRunner runner;
    private final SessionRepository sessions;
    private final SessionAgents sessionAgents;
    private final ServiceKeyCheck serviceKey;
    private final VoiceToolGate voiceCalls;

    DirectToolCalls(ToolRegistry registry, ToolRunner runner, SessionRepository sessions, SessionAgents sessionAgents,
                    ServiceKeyCheck serviceKey, VoiceToolGate voiceCalls) {
        this.registry = registry;
        this.runner = runner;
        this.sessions = sessions;
        this.sessionAgents = sessionAgents;
        this.serviceKey = serviceKey;
        this.voiceCalls = voiceCalls;
    }

    /**
     * Runs {@code name} for {@code userId}. With a session: the session must be the user's (else 404), its agent
     * must list the tool (else 403), and a tool the agent runs only after approval is refused (403) unless a trusted
     * backend calls. Without a session: only a trusted backend may call, and any registered tool is allowed.
     */
    public ToolResult execute(String userId, String name, JsonNode arguments, UUID sessionId, String presentedServiceKey) {
        return execute(userId, name, arguments, sessionId, presentedServiceKey, null);
    }

    /** {@code callId}: the model's function call this answers, required for a session on a voice call. */
    public ToolResult execute(String userId, String name, JsonNode arguments, UUID sessionId, String presentedServiceKey,
                              String callId) {
        AgentSpec agent = null;
        if (sessionId != null) {
            AgentSession session = sessions.findOwned(sessionId, userId)
                    .orElseThrow(() -> new DomainException.NotFound("session", sessionId));
            // a voice session's tools are run by the service on the call; the browser only gets their results
            Optional<ToolResult> onCall = voiceCalls.check(sessionId, callId, name, arguments);
            if (onCall.isPresent()) {
                return onCall.get();
            }
            agent = agentOf(session);
        } else {
            serviceKey.requireTrustedBackend(presentedServiceKey);
        }
        RegisteredTool tool = registry.find(name).orElseThrow(() -> new DomainException.NotFound("tool", name));
        List<String> allowed = agent == null ? null : agent.tools();
        if (allowed != null && !allowed.contains(name)) {
            throw new DomainException.Forbidden("tool '" + name + "' is not allowed for the agent of session " + sessionId);
        }
        if (agent != null && agent.approvalTools().contains(name) && !serviceKey.isTrustedBackend()) {
            // The same call from the model pauses the run for a person's approval; a client may not skip that.
            throw new DomainException.Forbidden("tool '" + name + "' needs a person's approval before it runs: it runs "
                    + "only inside an agent turn (which pauses for approval at POST /api/runs/{run_id}/approve) or "
                    + "for a trusted backend with the service key");
        }
        List<FieldError> errors = ToolArguments.violations(tool.specification().parameters(), arguments, "arguments");
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid("arguments do not match the parameters of tool '" + name + "': "
                    + errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")), errors);
        }
        ToolResult result = runner.run(name, arguments.toString(), allowed, new ToolCallContext(userId, sessionId, null));
        Log.infof("tool %s executed directly (sessionId=%s, ok=%s, %.1f ms)", name, sessionId, result.ok(), result.durationMs());
        return result;
    }

    private AgentSpec agentOf(AgentSession session) {
        // the same agent resolution the turn engine uses, so the API allows exactly what a turn would
        try {
            return sessionAgents.forSession(session);
        } catch (DomainException.NotFound e) {
            throw new DomainException.Forbidden("the agent of session " + session.id + " is not known; it may call no tools");
        }
    }
}
