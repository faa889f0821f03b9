package dev.agentdock.voice;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/** A function call the model made on a call, as the service saw it, and what became of it. */
@Entity
@Table(name = "ai_agent_voice_tool_calls")
@IdClass(VoiceToolCall.Key.class)
@NamedNativeQuery(name = VoiceToolCall.INSERT_IF_ABSENT, query = """
        INSERT INTO ai_agent_voice_tool_calls (session_id, tool_call_id, call_id, name, arguments, status)
        VALUES (:session, :toolCall, :call, :name, :arguments, :status) ON CONFLICT DO NOTHING""")
public class VoiceToolCall {

    static final String INSERT_IF_ABSENT = "VoiceToolCall.insertIfAbsent";

    public static final String RUNNING = "running";
    public static final String AWAITING_APPROVAL = "awaiting_approval";
    public static final String COMPLETED = "completed";
    public static final String REFUSED = "refused";

    public static class Key implements Serializable {
        public UUID sessionId;
        public String toolCallId;

        public Key() {
        }

        public Key(UUID sessionId, String toolCallId) {
            this.sessionId = sessionId;
            this.toolCallId = toolCallId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(sessionId, k.sessionId) && Objects.equals(toolCallId, k.toolCallId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionId, toolCallId);
        }
    }

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Id
    @Column(name = "tool_call_id")
    public String toolCallId;

    @Column(name = "call_id", nullable = false)
    public String callId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String arguments;

    @Column(nullable = false)
    public String status;

    public Boolean ok;

    public String output;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
}
