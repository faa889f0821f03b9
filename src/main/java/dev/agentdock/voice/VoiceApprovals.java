package dev.agentdock.voice;

import dev.agentdock.common.DomainException;
import dev.agentdock.session.SessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Decisions on a call's approval tools. The decision is written to the tool call's row; the instance holding the call
 * (any instance) sees it, runs the tool or answers the refusal on the call.
 */
@ApplicationScoped
public class VoiceApprovals {

    public record Decision(String callId, String toolCallId, boolean approved) {
    }

    private final SessionRepository sessions;
    private final VoiceToolCallRepository toolCalls;

    VoiceApprovals(SessionRepository sessions, VoiceToolCallRepository toolCalls) {
        this.sessions = sessions;
        this.toolCalls = toolCalls;
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
