package dev.agentdock.voice;

import dev.agentdock.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The rows of voice calls: one short transaction per change. */
@ApplicationScoped
public class VoiceCallStore {

    private final VoiceCallRepository calls;

    VoiceCallStore(VoiceCallRepository calls) {
        this.calls = calls;
    }

    /** Records {@code callId} as attached to the session (again, if it was); a call of another session is a 409. */
    @Transactional
    public VoiceCall attach(String callId, UUID sessionId, String userId) {
        VoiceCall call = calls.findById(callId);
        if (call != null && !call.sessionId.equals(sessionId)) {
            throw new DomainException.Conflict("call-of-another-session", "call " + callId
                    + " is attached to another session");
        }
        if (call == null) {
            call = new VoiceCall();
            call.callId = callId;
            call.sessionId = sessionId;
            call.userId = userId;
            call.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            call.status = VoiceCall.ATTACHED;
            calls.persist(call);
        } else if (VoiceCall.ENDED.equals(call.status)) {
            throw new DomainException.Conflict("call-ended", "call " + callId + " has ended (" + call.endReason + ")");
        }
        return call;
    }

    /** Forgets a call id that turned out not to exist: nothing of it stays on the session. */
    @Transactional
    public void forget(String callId) {
        calls.deleteById(callId);
    }

    @Transactional
    public void end(String callId, String reason) {
        calls.update("status = ?1, endReason = ?2, endedAt = ?3 where callId = ?4 and status = ?5", VoiceCall.ENDED,
                reason, OffsetDateTime.now(ZoneOffset.UTC), callId, VoiceCall.ATTACHED);
    }

    @Transactional
    public List<VoiceCall> attached(int page, int size) {
        return calls.findAttached(page, size);
    }

    @Transactional
    public Optional<VoiceCall> find(UUID sessionId, String callId) {
        return calls.findOfSession(sessionId, callId);
    }

    @Transactional
    public Optional<VoiceCall> attachedOf(UUID sessionId) {
        return calls.findAttachedBySession(sessionId);
    }

    @Transactional
    public Optional<VoiceCall> find(String callId) {
        return calls.findByIdOptional(callId);
    }
}
