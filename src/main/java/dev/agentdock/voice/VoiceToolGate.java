package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.tool.ToolResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/tools/execute} for a session whose voice call the service is on: only a function call the model made
 * on the call, named by its {@code call_id} and with the same name and arguments, gets through — and it gets the
 * result the service already produced (the tool is not run twice). Anything else is refused with 403.
 */
@ApplicationScoped
public class VoiceToolGate {

    private static final long WAIT_MS = 15_000;

    private final VoiceCallStore calls;
    private final VoiceToolCallRepository toolCalls;
    private final ObjectMapper json;

    VoiceToolGate(VoiceCallStore calls, VoiceToolCallRepository toolCalls, ObjectMapper json) {
        this.calls = calls;
        this.toolCalls = toolCalls;
        this.json = json;
    }

    /** Empty: no voice call on the session, the ordinary rules apply. Else the service's result of that call. */
    public Optional<ToolResult> check(UUID sessionId, String toolCallId, String name, JsonNode arguments) {
        if (calls.attachedOf(sessionId).isEmpty()) {
            return Optional.empty();
        }
        if (toolCallId == null || toolCallId.isBlank()) {
            throw new DomainException.Forbidden("session " + sessionId + " is on a voice call the service runs the "
                    + "tools of: name the call_id of the model's function call");
        }
        VoiceToolCall seen = find(sessionId, toolCallId)
                .filter(c -> c.name.equals(name) && sameArguments(c.arguments, arguments))
                .orElseThrow(() -> new DomainException.Forbidden("the model made no function call '" + toolCallId
                        + "' of tool '" + name + "' with these arguments on the call of session " + sessionId));
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (VoiceToolCall.RUNNING.equals(seen.status) || VoiceToolCall.AWAITING_APPROVAL.equals(seen.status)) {
            if (System.currentTimeMillis() > deadline) {
                throw new DomainException.Conflict("tool-call-pending", "tool call " + toolCallId
                        + " is still " + seen.status.replace('_', ' '));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DomainException.Conflict("tool-call-pending", "interrupted while waiting for " + toolCallId);
            }
            seen = find(sessionId, toolCallId).orElseThrow();
        }
        boolean ok = Boolean.TRUE.equals(seen.ok);
        String output = seen.output == null ? "" : seen.output;
        return Optional.of(new ToolResult(name, ok, ok ? output : null,
                ok ? null : output.replaceFirst("^ERROR: ", ""), 0));
    }

    private Optional<VoiceToolCall> find(UUID sessionId, String toolCallId) {
        return QuarkusTransaction.requiringNew().call(() -> toolCalls.findByToolCall(sessionId, toolCallId)
                .map(c -> {
                    toolCalls.getEntityManager().detach(c);
                    return c;
                }));
    }

    private boolean sameArguments(String seen, JsonNode given) {
        try {
            return json.readTree(seen == null || seen.isBlank() ? "{}" : seen).equals(given);
        } catch (Exception e) {
            return false;
        }
    }
}
