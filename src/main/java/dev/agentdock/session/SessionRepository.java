package dev.agentdock.session;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StatelessSession;
import org.hibernate.query.NativeQuery;

/**
 * Sessions: Panache inside transactions; the verification statements, which tools run outside any, through a
 * {@link StatelessSession} (each autocommitted alone).
 */
@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<AgentSession, UUID> {

    private final StatelessSession stateless;

    SessionRepository(StatelessSession stateless) {
        this.stateless = stateless;
    }

    /** The session if it exists and belongs to the user; somebody else's session does not exist for them. */
    public Optional<AgentSession> findOwned(UUID sessionId, String userId) {
        return find("id = ?1 and userId = ?2", sessionId, userId).firstResultOptional();
    }

    /** A user's sessions with one agent, newest activity first. */
    public List<AgentSession> listByUserAndAgent(String userId, String agentName, int page, int size) {
        return find("userId = ?1 and agentName = ?2 order by updatedAt desc, id desc", userId, agentName)
                .page(Page.of(page, size)).list();
    }

    /** A user's sessions with any agent, newest activity first. */
    public List<AgentSession> listRecentByUser(String userId, int limit) {
        return find("userId = ?1 order by updatedAt desc, id desc", userId).page(Page.ofSize(limit)).list();
    }

    public List<AgentSession> listForks(UUID sessionId) {
        return find("forkedFromSessionId = ?1 order by createdAt", sessionId).list();
    }

    /**
     * Creates the session, or touches it; answers its row (the caller checks the owner). One statement. Its table
     * is named as the query's space up front: Hibernate adds it while it runs the query otherwise, after the plan's
     * cache key was made from the empty set, and no later run of the query finds that plan (this package's
     * documentation).
     */
    public AgentSession upsert(UUID id, String userId, String agentName) {
        return (AgentSession) getSession().createNamedQuery(AgentSession.UPSERT, AgentSession.class)
                .unwrap(NativeQuery.class).addSynchronizedEntityClass(AgentSession.class)
                .setParameter("id", id).setParameter("user", userId).setParameter("agent", agentName)
                .getSingleResult();
    }

    public AgentSession create(UUID id, String userId, String agentName) {
        AgentSession session = new AgentSession();
        session.id = id;
        session.userId = userId;
        session.agentName = agentName;
        session.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        session.updatedAt = session.createdAt;
        persist(session);
        return session;
    }

    /** The session's verified customer id, if its caller was verified. */
    @ActivateRequestContext
    public Optional<String> findVerifiedCustomer(UUID sessionId) {
        return stateless.createSelectionQuery("select verifiedCustomerId from AgentSession where id = :id", String.class)
                .setParameter("id", sessionId).getResultStream().filter(Objects::nonNull).findFirst();
    }

    /** Claims one verification attempt below {@code max}: the attempts used, this one included, or empty. */
    @ActivateRequestContext
    public Optional<Integer> claimVerificationAttempt(UUID sessionId, int max) {
        return stateless.createNamedQuery(AgentSession.CLAIM_VERIFICATION_ATTEMPT, Object[].class)
                .setParameter("id", sessionId).setParameter("max", max)
                .getResultStream().findFirst().map(row -> (Integer) row[0]);
    }

    /** Records the session's caller as {@code customerId}, giving back the attempt its verification claimed. */
    @ActivateRequestContext
    public void verified(UUID sessionId, String customerId) {
        stateless.createNamedQuery(AgentSession.VERIFIED, Object[].class)
                .setParameter("id", sessionId).setParameter("customer", customerId).getResultList();
    }

    public void touch(UUID sessionId) {
        update("updatedAt = ?1 where id = ?2", OffsetDateTime.now(ZoneOffset.UTC), sessionId);
    }
}
