package dev.agentdock.voice;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A Realtime call of a session that the service joins over its sideband. */
@Entity
@Table(name = "ai_agent_voice_calls")
public class VoiceCall {

    public static final String ATTACHED = "attached";
    public static final String ENDED = "ended";

    @Id
    @Column(name = "call_id")
    public String callId;

    @Column(name = "session_id", nullable = false)
    public UUID sessionId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public String status;

    @Column(name = "end_reason")
    public String endReason;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;
}
