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
@NamedNativeQuery(name = AgentSession.CLAIM_VERIFICATION_ATTEMPT, query = """
        UPDATE ai_agent_sessions SET verification_attempts = verification_attempts + 1
         WHERE session_id = :id AND verification_attempts < :max
        RETURNING verification_attempts""")
@NamedNativeQuery(name = AgentSession.VERIFIED, query = """
        UPDATE ai_agent_sessions SET verified_customer_id = :customer,
               verification_attempts = greatest(verification_attempts - 1, 0)
         WHERE session_id = :id
        RETURNING verified_customer_id""")
public class AgentSession {

    static final String UPSERT = "AgentSession.upsert";
    static final String CLAIM_VERIFICATION_ATTEMPT = "AgentSession.claimVerificationAttempt";
    static final String VERIFIED = "AgentSession.verified";

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

    /**
     * The customer the session's caller proved to be, and the verification attempts it used: written only by their
     * own statements ({@link VerifiedCustomers}), so a session saved for another reason never writes them back.
     */
    @Column(name = "verified_customer_id", insertable = false, updatable = false)
    public String verifiedCustomerId;

    @Column(name = "verification_attempts", insertable = false, updatable = false)
    public int verificationAttempts;
}
