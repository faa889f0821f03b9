package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.session.SessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Decisions on a call's approval tools. The decision is written to the tool call's row; the instance holding the call
 * (any instance) sees it, runs the tool or answers the refusal on the call.
 */
@ApplicationScoped
public class VoiceApprovals {

    public record Decision(String callId, String toolCallId, boolean approved) {
    }

    /** A tool call of the model waiting for a human's decision. */
    public record Pending(String callId, String toolCallId, String name, JsonNode arguments, OffsetDateTime createdAt) {
    }

    /** The session's pending approvals, oldest first. */
    public record PendingList(List<Pending> approvals) {
    }

    private final SessionRepository sessions;
    private final VoiceToolCallRepository toolCalls;
    private final ObjectMapper json;

    VoiceApprovals(SessionRepository sessions, VoiceToolCallRepository toolCalls, ObjectMapper json) {
        this.sessions = sessions;
        this.toolCalls = toolCalls;
        this.json = json;
    }

    /** The tool calls of the session's voice calls that wait for approval (the owner's only). */
    @Transactional
    public PendingList pending(String userId, UUID sessionId) {
        sessions.findOwned(sessionId, userId).orElseThrow(() -> new DomainException.NotFound("session", sessionId));
        return new PendingList(toolCalls.find("sessionId = ?1 and status = ?2 order by createdAt, toolCallId",
                sessionId, VoiceToolCall.AWAITING_APPROVAL).stream()
                .map(c -> new Pending(c.callId, c.toolCallId, c.name, arguments(c.arguments), c.createdAt)).toList());
    }

    private JsonNode arguments(String arguments) {
        try {
            return json.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
        } catch (Exception e) {
            // only valid JSON reaches approval (CallTools checks it first); shown as the text it was otherwise
            return json.getNodeFactory().textNode(arguments);
        }
    }

    @Transactional
    public Decision decide(String userId, UUID sessionId, String callId, String toolCallId, boolean approved) {
        sessions.findOwned(sessionId, userId).orElseThrow(() -> new DomainException.NotFound("session", sessionId));
        VoiceToolCall call = toolCalls.findByToolCall(sessionId, toolCallId).filter(c -> c.callId.equals(callId))
                .orElseThrow(() -> new DomainException.NotFound("tool call", toolCallId));
        int changed = toolCalls.update("status = ?1 where sessionId = ?2 and toolCallId = ?3 and status = ?4",
                approved ? VoiceToolCall.RUNNING : VoiceToolCall.REFUSED, sessionId, toolCallId,
                VoiceToolCall.AWAITING_APPROVAL);
        if (changed == 0) {
            throw new DomainException.Conflict("tool-call-not-pending", "tool call " + toolCallId
                    + " is not waiting for approval (it is " + call.status.replace('_', ' ') + ")");
        }
        return new Decision(callId, toolCallId, approved);
    }
}
