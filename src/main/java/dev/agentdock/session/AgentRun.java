package dev.agentdock.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One turn of a session: from the user's message to the agent's final answer (or stop, failure, pause). */
@Entity
@Table(name = "ai_agent_runs")
public class AgentRun {

    @Id
    @Column(name = "run_id")
    public UUID id;

    @Column(name = "session_id", nullable = false)
    public UUID sessionId;

    @Column(name = "agent_name", nullable = false)
    public String agentName;

    @Column(nullable = false)
    public RunStatus status;

    @Column(name = "user_message_id")
    public UUID userMessageId;

    @Column(name = "assistant_message_id")
    public UUID assistantMessageId;

    @Column(name = "instance_id")
    public String instanceId;

    @Column(name = "heartbeat_at")
    public OffsetDateTime heartbeatAt;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    @Column(name = "input_tokens", nullable = false)
    public int inputTokens;

    @Column(name = "output_tokens", nullable = false)
    public int outputTokens;

    @Column(name = "total_tokens", nullable = false)
    public int totalTokens;

    @Column(name = "step_count", nullable = false)
    public int stepCount;

    @Column(name = "last_sequence")
    public Integer lastSequence;

    public String error;

    /** The user message of a queued ({@code pending}) run, stored until the run starts. */
    @Column(name = "pending_input")
    public String pendingInput;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String options;

    /** What the run's terminal event said beyond status, error and usage (run/events/RunEndDetail), as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "end_detail", columnDefinition = "jsonb")
    public String endDetail;

    /** The sequence number of the last event the run emitted. */
    @Column(name = "event_seq", nullable = false)
    public long eventSeq;
}
