package dev.agentdock.voice;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class VoiceCallRepository implements PanacheRepositoryBase<VoiceCall, String> {

    /** Attached calls, newest first (a page of them). */
    public List<VoiceCall> findAttached(int page, int size) {
        return find("status = ?1 order by createdAt desc, callId", VoiceCall.ATTACHED).page(page, size).list();
    }

    public Optional<VoiceCall> findAttachedBySession(UUID sessionId) {
        return find("sessionId = ?1 and status = ?2 order by createdAt desc", sessionId, VoiceCall.ATTACHED)
                .firstResultOptional();
    }

    public Optional<VoiceCall> findOfSession(UUID sessionId, String callId) {
        return find("callId = ?1 and sessionId = ?2", callId, sessionId).firstResultOptional();
    }
}
