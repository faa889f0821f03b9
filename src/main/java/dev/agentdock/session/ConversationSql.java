package dev.agentdock.session;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements of a turn's hot path, in plain JDBC: a plain turn costs a fixed handful of statements (open: 3,
 * context: 1, assistant step: 1 + one per flush interval, close: 1), none of them re-parsed per call. Called inside
 * the transactions of {@link ConversationStore}; Agroal hands every call of one transaction the same connection.
 */
@ApplicationScoped
public class ConversationSql {

    private static final String STEP_COLUMNS = "message_id, session_id, run_id, sequence, role, content, tool_calls, "
            + "tool_call_id, name, tool_name, tool_arguments, external_id, duration_ms, first_token_latency_ms, "
            + "input_tokens, output_tokens, total_tokens, model_name, provider, tool_exec_time_ms, interrupted, error, "
            + "created_at, completed_at";

    private final AgroalDataSource db;
    private final io.micrometer.core.instrument.Counter statements;

    ConversationSql(AgroalDataSource db, io.micrometer.core.instrument.MeterRegistry meters) {
        this.db = db;
        this.statements = io.micrometer.core.instrument.Counter.builder("agentdock.sql.statements")
                .description("statements of the turn hot path (plain JDBC); Hibernate counts its own").register(meters);
    }

    /** Creates the session, or touches it; answers its row (the caller checks the owner). */
    public AgentSession upsertSession(UUID sessionId, String userId, String agentName) {
        String sql = """
                INSERT INTO ai_agent_sessions AS s (session_id, user_id, agent_name) VALUES (?, ?, ?)
                ON CONFLICT (session_id) DO UPDATE SET updated_at = now()
                RETURNING s.session_id, s.user_id, s.agent_name, s.scenario_id, s.root_agent, s.instructions, s.model,
                          s.created_at, s.updated_at
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            ps.setObject(1, sessionId);
            ps.setString(2, userId);
            ps.setString(3, agentName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                AgentSession s = new AgentSession();
                s.id = rs.getObject(1, UUID.class);
                s.userId = rs.getString(2);
                s.agentName = rs.getString(3);
                s.scenarioId = rs.getString(4);
                s.rootAgent = rs.getString(5);
                s.instructions = rs.getString(6);
                s.model = rs.getString(7);
                s.createdAt = rs.getObject(8, OffsetDateTime.class);
                s.updatedAt = rs.getObject(9, OffsetDateTime.class);
                return s;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not open session " + sessionId, e);
        }
    }

    /** Appends a user step as the session's next sequence, in one statement; answers its sequence. */
    /**
     * Stores the user's message as the session's next step, unless the session already holds {@code maxSteps}
     * (then empty: the cap is checked by the same statement, no extra round trip).
     */
    public Optional<Step> appendUserStep(UUID stepId, UUID sessionId, UUID runId, String content, int maxSteps) {
        String sql = """
                INSERT INTO ai_agent_messages (message_id, session_id, run_id, sequence, role, content, created_at,
                                               completed_at)
                SELECT ?, ?, ?, coalesce(max(sequence), 0) + 1, 'user', ?, now(), now()
                  FROM ai_agent_messages WHERE session_id = ?
                HAVING coalesce(max(sequence), 0) < ?
                RETURNING sequence, created_at
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            ps.setObject(1, stepId);
            ps.setObject(2, sessionId);
            ps.setObject(3, runId);
            ps.setString(4, content);
            ps.setObject(5, sessionId);
            ps.setInt(6, maxSteps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Step step = new Step();
                step.id = stepId;
                step.sessionId = sessionId;
                step.runId = runId;
                step.sequence = rs.getInt(1);
                step.role = StepRole.USER;
                step.content = content;
                step.createdAt = rs.getObject(2, OffsetDateTime.class);
                step.completedAt = step.createdAt;
                return Optional.of(step);
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new SequenceConflictException(sessionId, -1);
            }
            throw new IllegalStateException("could not store the user step of run " + runId, e);
        }
    }

    /** The newest {@code limit} steps of a session, oldest first. */
    public List<Step> tail(UUID sessionId, int limit) {
        String sql = "SELECT " + STEP_COLUMNS + " FROM ai_agent_messages WHERE session_id = ? ORDER BY sequence DESC LIMIT ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            ps.setObject(1, sessionId);
            ps.setInt(2, limit);
            List<Step> steps = new ArrayList<>(Math.min(limit, 256));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(step(rs));
                }
            }
            return steps.reversed();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the steps of session " + sessionId, e);
        }
    }

    /** Inserts a step with every column as given (assistant and tool steps of a run). */
    public void insertStep(Step s) {
        String sql = "INSERT INTO ai_agent_messages (" + STEP_COLUMNS + ", event_seq, delta_ends) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            bind(ps, s);
            bindPosition(ps, 25, c, s);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new SequenceConflictException(s.sessionId, s.sequence);
            }
            throw new IllegalStateException("could not store step " + s.sequence + " of session " + s.sessionId, e);
        }
    }

    /** Rewrites every column of a step stored earlier (the final state of a streamed assistant step). */
    public void updateStep(Step s) {
        String sql = """
                UPDATE ai_agent_messages SET content = ?, tool_calls = ?::jsonb, duration_ms = ?,
                       first_token_latency_ms = ?, input_tokens = ?, output_tokens = ?, total_tokens = ?,
                       interrupted = ?, error = ?, completed_at = ?, event_seq = ?, delta_ends = ?
                 WHERE message_id = ?
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            ps.setString(1, s.content);
            ps.setString(2, s.toolCalls);
            setDouble(ps, 3, s.durationMs);
            setDouble(ps, 4, s.firstTokenLatencyMs);
            setInt(ps, 5, s.inputTokens);
            setInt(ps, 6, s.outputTokens);
            setInt(ps, 7, s.totalTokens);
            ps.setBoolean(8, s.interrupted);
            ps.setString(9, s.error);
            ps.setObject(10, s.completedAt);
            bindPosition(ps, 11, c, s);
            ps.setObject(13, s.id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update step " + s.id, e);
        }
    }

    public void updateContent(UUID stepId, String content) {
        execute("UPDATE ai_agent_messages SET content = ? WHERE message_id = ?", content, stepId);
    }

    /** Gives a step its place in its run's event stream (a call decided while the run was paused, once resumed). */
    public void setEventSeq(UUID stepId, long eventSeq) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ai_agent_messages SET event_seq = ? WHERE message_id = ?")) {
            statements.increment();
            ps.setLong(1, eventSeq);
            ps.setObject(2, stepId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not number step " + stepId, e);
        }
    }

    /**
     * A version of a run's stored steps that changes whenever one is inserted or rewritten (each row's {@code xmin},
     * the transaction that wrote it), read from the rows' headers without their contents: a follower compares it
     * before reading the steps again.
     */
    public String stepsVersion(UUID runId) {
        return first("SELECT count(*) || ':' || coalesce(string_agg(xmin::text, ',' ORDER BY sequence), '') "
                + "FROM ai_agent_messages WHERE run_id = ?", runId, String.class).orElseThrow();
    }

    /**
     * The steps of a run with their places in its event stream, in order, for a replay of its events (the user step
     * included: it says which sequence the run answered).
     */
    public List<Step> stepsOfRun(UUID runId) {
        String sql = "SELECT " + STEP_COLUMNS + ", event_seq, delta_ends FROM ai_agent_messages WHERE run_id = ? "
                + "ORDER BY sequence";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            ps.setObject(1, runId);
            List<Step> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Step s = step(rs);
                    long seq = rs.getLong(25);
                    s.eventSeq = rs.wasNull() ? null : seq;
                    java.sql.Array ends = rs.getArray(26);
                    if (ends != null) {
                        Integer[] boxed = (Integer[]) ends.getArray();
                        s.deltaEnds = new int[boxed.length];
                        for (int i = 0; i < boxed.length; i++) {
                            s.deltaEnds[i] = boxed[i];
                        }
                    }
                    steps.add(s);
                }
            }
            return steps;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the steps of run " + runId, e);
        }
    }

    /** The first column of the first row of a query with one parameter, or empty when it has no row. */
    private <T> Optional<T> first(String sql, UUID param, Class<T> type) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getObject(1, type)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private void execute(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            statements.increment();
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }

    private static void bind(PreparedStatement ps, Step s) throws SQLException {
        ps.setObject(1, s.id);
        ps.setObject(2, s.sessionId);
        ps.setObject(3, s.runId);
        ps.setInt(4, s.sequence);
        ps.setString(5, s.role.wire());
        ps.setString(6, s.content);
        ps.setString(7, s.toolCalls);
        ps.setString(8, s.toolCallId);
        ps.setString(9, s.name);
        ps.setString(10, s.toolName);
        ps.setString(11, s.toolArguments);
        ps.setString(12, s.externalId);
        setDouble(ps, 13, s.durationMs);
        setDouble(ps, 14, s.firstTokenLatencyMs);
        setInt(ps, 15, s.inputTokens);
        setInt(ps, 16, s.outputTokens);
        setInt(ps, 17, s.totalTokens);
        ps.setString(18, s.modelName);
        ps.setString(19, s.provider);
        setDouble(ps, 20, s.toolExecTimeMs);
        ps.setBoolean(21, s.interrupted);
        ps.setString(22, s.error);
        ps.setObject(23, s.createdAt == null ? OffsetDateTime.now(ZoneOffset.UTC) : s.createdAt);
        ps.setObject(24, s.completedAt);
    }

    private static void bindPosition(PreparedStatement ps, int i, Connection c, Step s) throws SQLException {
        if (s.eventSeq == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, s.eventSeq);
        }
        if (s.deltaEnds == null) {
            ps.setNull(i + 1, Types.ARRAY);
        } else {
            Integer[] boxed = new Integer[s.deltaEnds.length];
            for (int k = 0; k < boxed.length; k++) {
                boxed[k] = s.deltaEnds[k];
            }
            ps.setArray(i + 1, c.createArrayOf("integer", boxed));
        }
    }

    private static Step step(ResultSet rs) throws SQLException {
        Step s = new Step();
        s.id = rs.getObject(1, UUID.class);
        s.sessionId = rs.getObject(2, UUID.class);
        s.runId = rs.getObject(3, UUID.class);
        s.sequence = rs.getInt(4);
        s.role = StepRole.fromWire(rs.getString(5));
        s.content = rs.getString(6);
        s.toolCalls = rs.getString(7);
        s.toolCallId = rs.getString(8);
        s.name = rs.getString(9);
        s.toolName = rs.getString(10);
        s.toolArguments = rs.getString(11);
        s.externalId = rs.getString(12);
        s.durationMs = (Double) rs.getObject(13);
        s.firstTokenLatencyMs = (Double) rs.getObject(14);
        s.inputTokens = (Integer) rs.getObject(15);
        s.outputTokens = (Integer) rs.getObject(16);
        s.totalTokens = (Integer) rs.getObject(17);
        s.modelName = rs.getString(18);
        s.provider = rs.getString(19);
        s.toolExecTimeMs = (Double) rs.getObject(20);
        s.interrupted = rs.getBoolean(21);
        s.error = rs.getString(22);
        s.createdAt = rs.getObject(23, OffsetDateTime.class);
        s.completedAt = rs.getObject(24, OffsetDateTime.class);
        return s;
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }
}
