package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException.FieldError;
import dev.agentdock.orchestration.SessionEvent;
import dev.agentdock.orchestration.SessionEventBus;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import dev.agentdock.tool.RegisteredTool;
import dev.agentdock.tool.ToolArguments;
import dev.agentdock.tool.ToolCallContext;
import dev.agentdock.tool.ToolRegistry;
import dev.agentdock.tool.ToolResult;
import dev.agentdock.tool.ToolRunner;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the function calls the model makes on a call, under the rules of the session's active agent: the agent's
 * allowlist, the tool's JSON schema, its time limit, and a human's approval for the agent's approval tools. Each call
 * is recorded once (so two instances never both run it), answered on the call with {@code function_call_output}
 * and {@code response.create}, and published as {@code tool_result}.
 */
@ApplicationScoped
public class CallTools {

    private final VoiceToolCallRepository toolCalls;
    private final SessionRepository sessions;
    private final SessionAgents agents;
    private final ToolRegistry registry;
    private final ToolRunner runner;
    private final SessionEventBus bus;
    private final VoiceConfig config;
    private final ObjectMapper json;

    CallTools(VoiceToolCallRepository toolCalls, SessionRepository sessions, SessionAgents agents, ToolRegistry registry,
              ToolRunner runner, SessionEventBus bus, VoiceConfig config, ObjectMapper json) {
        this.toolCalls = toolCalls;
        this.sessions = sessions;
        this.agents = agents;
        this.registry = registry;
        this.runner = runner;
        this.bus = bus;
        this.config = config;
        this.json = json;
    }

    /** Records the call; false if it was seen before (here or on another instance). */
    boolean record(HeldCall call, String toolCallId, String name, String arguments, String status) {
        return QuarkusTransaction.requiringNew().call(() -> toolCalls.insertIfAbsent(call.sessionId, toolCallId,
                call.callId, name, arguments, status));
    }

    /** A function call of the model: checked, run (on its own thread, so approvals never hold the call's events). */
    void run(HeldCall call, String toolCallId, String name, String arguments) {
        if (!record(call, toolCallId, name, arguments, VoiceToolCall.RUNNING)) {
            return;
        }
        AgentSpec agent;
        try {
            AgentSession session = QuarkusTransaction.requiringNew().call(() -> sessions.findById(call.sessionId));
            agent = agents.forSession(session);
        } catch (RuntimeException e) {
            answer(call, toolCallId, name, refused(name, "the session's agent is not known; it may call no tools"));
            return;
        }
        ToolResult refusal = check(agent, name, arguments);
        if (refusal != null) {
            answer(call, toolCallId, name, refusal);
            return;
        }
        Thread.ofVirtual().name("voice-tool-" + toolCallId).start(() -> {
            if (agent.approvalTools().contains(name) && !approved(call, toolCallId, name, arguments)) {
                return;
            }
            ToolResult result = runner.run(toolCallId, name, arguments, agent.tools(),
                    new ToolCallContext(call.userId, call.sessionId, null));
            answer(call, toolCallId, name, result);
        });
    }

    private ToolResult check(AgentSpec agent, String name, String arguments) {
        if (!agent.tools().contains(name)) {
            return refused(name, "tool '" + name + "' is not allowed for agent '" + agent.name() + "'");
        }
        RegisteredTool tool = registry.find(name).orElse(null);
        if (tool == null) {
            return refused(name, "tool '" + name + "' does not exist");
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
        } catch (Exception e) {
            return refused(name, "arguments are not JSON");
        }
        List<FieldError> errors = ToolArguments.violations(tool.specification().parameters(), parsed, "arguments");
        if (!errors.isEmpty()) {
            return refused(name, "arguments do not match the parameters of tool '" + name + "': "
                    + errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        }
        return null;
    }

    /** Waits for the decision taken through the approve route (any instance writes it to the row). */
    private boolean approved(HeldCall call, String toolCallId, String name, String arguments) {
        QuarkusTransaction.requiringNew().run(() -> toolCalls.update(
                "status = ?1 where sessionId = ?2 and toolCallId = ?3", VoiceToolCall.AWAITING_APPROVAL,
                call.sessionId, toolCallId));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("call_id", call.callId);
        data.put("tool_call_id", toolCallId);
        data.put("name", name);
        data.put("arguments", arguments);
        bus.publish(new SessionEvent("approval_required", call.sessionId, call.userId, Instant.now(), data));
        long deadline = System.nanoTime() + config.approvalTimeout().toNanos();
        while (System.nanoTime() < deadline && !call.released()) {
            String status = QuarkusTransaction.requiringNew().call(() ->
                    toolCalls.findByToolCall(call.sessionId, toolCallId).map(c -> c.status).orElse(VoiceToolCall.REFUSED));
            if (VoiceToolCall.RUNNING.equals(status)) {
                return true;
            }
            if (VoiceToolCall.REFUSED.equals(status)) {
                answer(call, toolCallId, name, refused(name, "the user declined to run this tool call"));
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (!call.released()) {
            answer(call, toolCallId, name, refused(name, "no decision on this tool call in time"));
        }
        return false;
    }

    private void answer(HeldCall call, String toolCallId, String name, ToolResult result) {
        QuarkusTransaction.requiringNew().run(() -> toolCalls.update(
                "status = ?1, ok = ?2, output = ?3, completedAt = ?4 where sessionId = ?5 and toolCallId = ?6",
                result.ok() ? VoiceToolCall.COMPLETED : VoiceToolCall.REFUSED, result.ok(), result.modelText(),
                OffsetDateTime.now(ZoneOffset.UTC), call.sessionId, toolCallId));
        Map<String, Object> item = Map.of("type", "function_call_output", "call_id", toolCallId,
                "output", result.modelText());
        boolean sent = call.send(Map.of("type", "conversation.item.create", "item", item))
                && call.send(Map.of("type", "response.create"));
        Log.infof("call %s: tool %s (%s) answered ok=%s sent=%s", call.callId, name, toolCallId, result.ok(), sent);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("call_id", call.callId);
        data.put("tool_call_id", toolCallId);
        data.put("name", name);
        data.put("ok", result.ok());
        data.put(result.ok() ? "result" : "error", result.ok() ? result.result() : result.error());
        data.put("duration_ms", result.durationMs());
        data.put("source", "voice");
        bus.publish(new SessionEvent("tool_result", call.sessionId, call.userId, Instant.now(), data));
    }

    private static ToolResult refused(String name, String why) {
        return new ToolResult(name, false, null, why, 0);
    }
}
