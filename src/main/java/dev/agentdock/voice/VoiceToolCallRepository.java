package dev.agentdock.voice;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class VoiceToolCallRepository implements PanacheRepositoryBase<VoiceToolCall, VoiceToolCall.Key> {

    public Optional<VoiceToolCall> findByToolCall(UUID sessionId, String toolCallId) {
        return findByIdOptional(new VoiceToolCall.Key(sessionId, toolCallId));
    }

    /** Records a function call once: false if another instance (or an earlier event) already did. */
    public boolean insertIfAbsent(UUID sessionId, String toolCallId, String callId, String name, String arguments,
                                  String status) {
        return getSession().createNamedQuery(VoiceToolCall.INSERT_IF_ABSENT)
                .setParameter("session", sessionId).setParameter("toolCall", toolCallId)
                .setParameter("call", callId, String.class).setParameter("name", name)
                .setParameter("arguments", arguments, String.class).setParameter("status", status)
                .executeUpdate() == 1;
    }
}
