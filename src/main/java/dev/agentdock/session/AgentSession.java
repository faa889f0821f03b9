package dev.agentdock.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One conversation of one user with an agent (or a scenario's agents). A turn opens it with one upsert, a named
 * native query (JPQL has no {@code ON CONFLICT}) that answers the row.
 */
@Entity
@Table(name = "ai_agent_sessions")
@NamedNativeQuery(name = AgentSession.UPSERT, resultClass = AgentSession.class, query = """
        INSERT INTO ai_agent_sessions AS s (session_id, user_id, agent_name) VALUES (:id, :user, :agent)
        ON CONFLICT (session_id) DO UPDATE SET updated_at = now()
        RETURNING s.*""")
public class AgentSession {

    static final String UPSERT = "AgentSession.upsert";

    @Id
    @Column(name = "session_id")
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "agent_name", nullable = false)
    public String agentName;

    @Column(name = "scenario_id")
    public String scenarioId;

    @Column(name = "root_agent")
    public String rootAgent;

    public String title;

    public String summary;

    @Column(name = "is_active", nullable = false)
    public boolean active = true;

    @Column(name = "forked_from_session_id")
    public UUID forkedFromSessionId;

    @Column(name = "forked_at_sequence")
    public Integer forkedAtSequence;

    /** An SDK session's own agent instructions and model (null: the named agent's). */
    public String instructions;

    public String model;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
