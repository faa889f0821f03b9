package dev.agentdock.session;

import jakarta.persistence.Column;
import jakarta.persistence.ColumnResult;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.SqlResultSetMapping;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One step of a session = one native LLM message (user, assistant with optional tool calls, or tool result) plus
 * the metrics of producing it. Its {@code sequence} orders the session; (session, sequence) is unique.
 */
@Entity
@Table(name = "ai_agent_messages")
@NamedNativeQuery(name = Step.APPEND_USER, resultSetMapping = Step.APPENDED, query = """
        INSERT INTO ai_agent_messages (message_id, session_id, run_id, sequence, role, content, created_at,
                                       completed_at)
        SELECT :id, :session, :run, coalesce(max(sequence), 0) + 1, 'user', :content, now(), now()
          FROM ai_agent_messages WHERE session_id = :session
        HAVING coalesce(max(sequence), 0) < :maxSteps
        RETURNING sequence, created_at""")
@SqlResultSetMapping(name = Step.APPENDED, columns = {@ColumnResult(name = "sequence", type = Integer.class),
        @ColumnResult(name = "created_at", type = OffsetDateTime.class)})
@NamedNativeQuery(name = Step.VERSION_OF_RUN, query = """
        SELECT count(*) || ':' || coalesce(string_agg(cast(xmin AS text), ',' ORDER BY sequence), '')
          FROM ai_agent_messages WHERE run_id = :run""")
@NamedNativeQuery(name = Step.LOCK_SESSION_OF_RUN, query = """
        SELECT 1 FROM ai_agent_sessions
         WHERE session_id = (SELECT session_id FROM ai_agent_runs WHERE run_id = :run) FOR UPDATE""")
@NamedNativeQuery(name = Step.DELETE_OF_LAST_RUN, query = """
        DELETE FROM ai_agent_messages m WHERE m.run_id = :run
           AND NOT EXISTS (SELECT 1 FROM ai_agent_messages o
                            WHERE o.session_id = m.session_id AND o.run_id IS DISTINCT FROM :run
                              AND o.sequence > (SELECT min(x.sequence) FROM ai_agent_messages x WHERE x.run_id = :run))""")
// every column but the place in a run's event stream, which belongs to the original's run
@NamedNativeQuery(name = Step.COPY_TO_FORK, query = """
        INSERT INTO ai_agent_messages (message_id, session_id, run_id, sequence, role, content, tool_calls,
               tool_call_id, name, tool_name, tool_arguments, external_id, duration_ms, first_token_latency_ms,
               input_tokens, output_tokens, total_tokens, model_name, provider, tool_exec_time_ms, interrupted, error,
               created_at, completed_at)
        SELECT gen_random_uuid(), :fork, run_id, sequence, role, content, tool_calls, tool_call_id, name, tool_name,
               tool_arguments, external_id, duration_ms, first_token_latency_ms, input_tokens, output_tokens,
               total_tokens, model_name, provider, tool_exec_time_ms, interrupted, error, created_at, completed_at
          FROM ai_agent_messages WHERE session_id = :origin AND sequence <= :upto""")
public class Step {

    static final String LOCK_SESSION_OF_RUN = "Step.lockSessionOfRun";
    static final String DELETE_OF_LAST_RUN = "Step.deleteOfLastRun";
    static final String COPY_TO_FORK = "Step.copyToFork";
    static final String APPEND_USER = "Step.appendUser";
    static final String APPENDED = "Step.appended";
    static final String VERSION_OF_RUN = "Step.versionOfRun";

    @Id
    @Column(name = "message_id")
    public UUID id;

    @Column(name = "session_id", nullable = false)
    public UUID sessionId;

    @Column(name = "run_id")
    public UUID runId;

    @Column(nullable = false)
    public int sequence;

    @Column(nullable = false)
    public StepRole role;

    public String content;

    /** OpenAI-shaped {@code [{id, type:"function", function:{name, arguments}}]}, verbatim. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_calls", columnDefinition = "jsonb")
    public String toolCalls;

    @Column(name = "tool_call_id")
    public String toolCallId;

    public String name;

    @Column(name = "tool_name")
    public String toolName;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tool_arguments", columnDefinition = "jsonb")
    public String toolArguments;

    /** An id from outside (a Realtime item id), unique per session, for idempotent imports. */
    @Column(name = "external_id")
    public String externalId;

    @Column(name = "duration_ms")
    public Double durationMs;

    @Column(name = "first_token_latency_ms")
    public Double firstTokenLatencyMs;

    @Column(name = "input_tokens")
    public Integer inputTokens;

    @Column(name = "output_tokens")
    public Integer outputTokens;

    @Column(name = "total_tokens")
    public Integer totalTokens;

    @Column(name = "model_name")
    public String modelName;

    public String provider;

    @Column(name = "tool_exec_time_ms")
    public Double toolExecTimeMs;

    @Column(nullable = false)
    public boolean interrupted;

    public String error;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    /** The number of the step's first event in its run's stream (null: a step no run streamed). */
    @Column(name = "event_seq")
    public Long eventSeq;

    /** The text length after each of the step's delta events (null until a streamed step is complete). */
    @Column(name = "delta_ends")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public int[] deltaEnds;
}
