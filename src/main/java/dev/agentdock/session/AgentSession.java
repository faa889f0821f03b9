package dev.agentdock.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One conversation of one user with an agent (or a scenario's agents). */
@Entity
@Table(name = "ai_agent_sessions")
public class AgentSession {

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
