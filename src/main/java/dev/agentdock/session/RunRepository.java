package dev.agentdock.session;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StatelessSession;

/**
 * Runs: Panache for what a transaction reads and writes, a {@link StatelessSession} over the same entity for the
 * single statements of a turn's hot path and of the sweep (each autocommitted alone, no persistence context).
 */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<AgentRun, UUID> {

    static final String ONE_ACTIVE_INDEX = "ai_agent_runs_one_active_idx";

    public static final String STALE_REASON = "the instance running it stopped responding (heartbeat stale)";

    private final StatelessSession stateless;

    RunRepository(StatelessSession stateless) {
        this.stateless = stateless;
    }

    /** A run the sweep claimed: whose it was, and why it ended. */
    public record StaleRun(UUID runId, UUID sessionId, String userId, String reason, int lastSequence) {
    }

    public Optional<AgentRun> findActiveRunBySession(UUID sessionId) {
        return find("sessionId = ?1 and status in ?2", sessionId, List.of(RunStatus.RUNNING, RunStatus.PAUSED))
                .firstResultOptional();
    }

    public List<AgentRun> listBySession(UUID sessionId) {
        return find("sessionId = ?1 order by startedAt", sessionId).list();
    }

    /** The run's status as the database has it now (a query, never a cached entity). */
    public Optional<RunStatus> findStatus(UUID runId) {
        return getEntityManager().createQuery("select r.status from AgentRun r where r.id = :id", RunStatus.class)
                .setParameter("id", runId).getResultStream().findFirst();
    }

    /** Whose run {@code runId} is (its session's user), or empty when no run has that id. */
    public Optional<String> findOwner(UUID runId) {
        return getEntityManager().createQuery("select s.userId from AgentRun r join AgentSession s on s.id = r.sessionId"
                        + " where r.id = :id", String.class)
                .setParameter("id", runId).getResultStream().findFirst();
    }

    public boolean exists(UUID runId) {
        return count("id", runId) > 0;
    }

    /**
     * Records a new active run; answers false when a unique rule refused it (the run id was used, or the session
     * already has an active run) — the caller finds out which.
     */
    public boolean insertIfFree(AgentRun run) {
        return getSession().createNamedQuery(AgentRun.INSERT_IF_FREE)
                .setParameter("id", run.id)
                .setParameter("session", run.sessionId)
                .setParameter("agent", run.agentName)
                .setParameter("status", run.status.wire())
                .setParameter("instance", run.instanceId, String.class)
                .setParameter("heartbeat", run.heartbeatAt, OffsetDateTime.class)
                .setParameter("started", run.startedAt)
                .setParameter("pending", run.pendingInput, String.class)
                .setParameter("userMessage", run.userMessageId, UUID.class)
                .executeUpdate() == 1;
    }

    /**
     * Claims the oldest queued run of a session for this instance if nothing else is active there. A run made
     * active meanwhile by another instance fails it with {@link #isActiveRunConflict}.
     */
    public Optional<UUID> claimNextPending(UUID sessionId, String instanceId) {
        return getSession().createNamedQuery(AgentRun.CLAIM_NEXT_PENDING, Object[].class)
                .setParameter("instance", instanceId)
                .setParameter("session", sessionId)
                .getResultStream().findFirst().map(row -> (UUID) row[0]);
    }

    /** Whether the session has a queued run (one read, outside any transaction). */
    @ActivateRequestContext
    public boolean hasPending(UUID sessionId) {
        return !stateless.createSelectionQuery("select 1 from AgentRun where sessionId = :s and status = :status",
                        Integer.class)
                .setParameter("s", sessionId).setParameter("status", RunStatus.PENDING)
                .setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * Closes a run that is still open (running, paused or pending) and touches its session, in one statement;
     * answers whether it was still open.
     */
    @ActivateRequestContext
    public boolean finish(UUID runId, RunStatus status, String error, ConversationStore.RunTotals t) {
        return !stateless.createNamedQuery(AgentRun.FINISH, Object[].class)
                .setParameter("status", status.wire())
                .setParameter("error", error, String.class)
                .setParameter("input", t.inputTokens())
                .setParameter("output", t.outputTokens())
                .setParameter("total", t.inputTokens() + t.outputTokens())
                .setParameter("steps", t.steps())
                .setParameter("lastSequence", t.lastSequence(), Integer.class)
                .setParameter("assistant", t.assistantStepId(), UUID.class)
                .setParameter("eventSeq", t.eventSeq())
                .setParameter("detail", t.endDetail(), String.class)
                .setParameter("id", runId)
                .getResultList().isEmpty();
    }

    /** Marks running runs with a stale heartbeat interrupted, with their open assistant steps: one statement. */
    @ActivateRequestContext
    public List<StaleRun> interruptStale(OffsetDateTime cutoff) {
        List<Object[]> rows = stateless.createNamedQuery(AgentRun.INTERRUPT_STALE, Object[].class)
                .setParameter("reason", STALE_REASON)
                .setParameter("cutoff", cutoff)
                .getResultList();
        return rows.stream().map(row -> new StaleRun((UUID) row[0], (UUID) row[1],
                (String) row[2], STALE_REASON, ((Number) row[3]).intValue())).toList();
    }

    /**
     * Sessions whose queued run nobody is going to start: queued before {@code cutoff}, with nothing active (the
     * instance that would have started it shut down, or lost its database, as the active run ended).
     */
    @ActivateRequestContext
    public List<UUID> sessionsWithOrphanedPending(OffsetDateTime cutoff) {
        return stateless.createSelectionQuery("""
                        select distinct p.sessionId from AgentRun p
                         where p.status = :pending and p.startedAt < :cutoff
                           and not exists (select 1 from AgentRun a where a.sessionId = p.sessionId
                                              and a.status in :active)""", UUID.class)
                .setParameter("pending", RunStatus.PENDING).setParameter("cutoff", cutoff)
                .setParameter("active", List.of(RunStatus.RUNNING, RunStatus.PAUSED))
                .setMaxResults(100).getResultList();
    }

    /** Answers when PostgreSQL does; throws when it is out of reach. */
    @ActivateRequestContext
    public void ping() {
        stateless.createSelectionQuery("select 1", Integer.class).getSingleResult();
    }

    /** Refreshes the heartbeat of the given runs if this instance still owns them: one statement for all. */
    public int touchHeartbeats(Collection<UUID> runIds, String instanceId) {
        if (runIds.isEmpty()) {
            return 0;
        }
        return update("heartbeatAt = ?1 where id in ?2 and instanceId = ?3 and status = ?4",
                now(), runIds, instanceId, RunStatus.RUNNING);
    }

    public static boolean isActiveRunConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(ONE_ACTIVE_INDEX)) {
                return true;
            }
        }
        return false;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
