package dev.agentdock.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One turn of a session: from the user's message to the agent's final answer (or stop, failure, pause). The
 * statements JPQL cannot say (a conflict that answers instead of failing, {@code FOR UPDATE SKIP LOCKED}, an UPDATE
 * that answers what it changed) are named native queries here, run by {@link RunRepository}.
 */
@Entity
@Table(name = "ai_agent_runs")
@NamedNativeQuery(name = AgentRun.INSERT_IF_FREE, query = """
        INSERT INTO ai_agent_runs (run_id, session_id, agent_name, status, instance_id, heartbeat_at, started_at,
                                   pending_input, user_message_id)
        VALUES (:id, :session, :agent, :status, :instance, :heartbeat, :started, :pending, :userMessage)
        ON CONFLICT DO NOTHING""")
@NamedNativeQuery(name = AgentRun.FINISH, query = """
        WITH r AS (
          UPDATE ai_agent_runs SET status = :status, error = :error, completed_at = now(), input_tokens = :input,
                 output_tokens = :output, total_tokens = :total, step_count = :steps, last_sequence = :lastSequence,
                 assistant_message_id = coalesce(:assistant, assistant_message_id),
                 event_seq = greatest(event_seq, :eventSeq),
                 -- a resumed run adds its end to what its first part stored (the redaction of the input)
                 end_detail = nullif(coalesce(end_detail, cast('{}' AS jsonb)) || coalesce(cast(:detail AS jsonb),
                                     cast('{}' AS jsonb)), cast('{}' AS jsonb))
           WHERE run_id = :id AND status IN ('running', 'paused', 'pending')
             -- the row of the session first, as beginRun takes it: one lock order, no deadlock with a new turn
             AND EXISTS (SELECT 1 FROM ai_agent_sessions l WHERE l.session_id = ai_agent_runs.session_id FOR UPDATE)
          RETURNING session_id)
        UPDATE ai_agent_sessions s SET updated_at = now() FROM r WHERE s.session_id = r.session_id
        RETURNING s.session_id""")
@NamedNativeQuery(name = AgentRun.CLAIM_NEXT_PENDING, query = """
        UPDATE ai_agent_runs SET status = 'running', instance_id = :instance, heartbeat_at = now(), started_at = now()
         WHERE run_id = (SELECT run_id FROM ai_agent_runs WHERE session_id = :session AND status = 'pending'
                          ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
           AND EXISTS (SELECT 1 FROM ai_agent_sessions l WHERE l.session_id = ai_agent_runs.session_id FOR UPDATE)
           AND NOT EXISTS (SELECT 1 FROM ai_agent_runs WHERE session_id = :session AND status IN ('running', 'paused'))
        RETURNING run_id""")
@NamedNativeQuery(name = AgentRun.INTERRUPT_STALE, query = """
        WITH r AS (
          UPDATE ai_agent_runs SET status = 'interrupted', completed_at = now(), error = :reason
           WHERE status = 'running' AND heartbeat_at < :cutoff
          RETURNING run_id, session_id),
        m AS (
          UPDATE ai_agent_messages SET interrupted = true
           WHERE run_id IN (SELECT run_id FROM r) AND role = 'assistant' AND completed_at IS NULL)
        SELECT r.run_id, r.session_id, s.user_id,
               (SELECT coalesce(max(sequence), 0) FROM ai_agent_messages WHERE session_id = r.session_id)
          FROM r JOIN ai_agent_sessions s ON s.session_id = r.session_id""")
public class AgentRun {

    static final String INSERT_IF_FREE = "AgentRun.insertIfFree";
    static final String FINISH = "AgentRun.finish";
    static final String CLAIM_NEXT_PENDING = "AgentRun.claimNextPending";
    static final String INTERRUPT_STALE = "AgentRun.interruptStale";

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
