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
        return getEntityManager().createNativeQuery("""
                        INSERT INTO ai_agent_voice_tool_calls (session_id, tool_call_id, call_id, name, arguments, status)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING""")
                .setParameter(1, sessionId).setParameter(2, toolCallId).setParameter(3, callId)
                .setParameter(4, name).setParameter(5, arguments).setParameter(6, status)
                .executeUpdate() == 1;
    }
}
