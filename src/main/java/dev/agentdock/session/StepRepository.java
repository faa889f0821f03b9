package dev.agentdock.session;

import dev.agentdock.common.Ids;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.PersistenceException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StaleStateException;
import org.hibernate.StatelessSession;

/**
 * Steps of sessions, each operation one statement: Panache inside transactions, a {@link StatelessSession} over the
 * same entity for a turn's hot path (a step's insert, rewrite and reads, each autocommitted alone, no persistence
 * context), so a column added to {@link Step} is written and read everywhere.
 */
@ApplicationScoped
public class StepRepository implements PanacheRepositoryBase<Step, UUID> {

    static final String SEQUENCE_CONSTRAINT = "ai_agent_messages_session_sequence_uq";

    private final StatelessSession stateless;

    StepRepository(StatelessSession stateless) {
        this.stateless = stateless;
    }

    /** Stores one step now (flushed), so a concurrent writer of the same sequence fails here, typed. */
    public Step save(Step step) {
        prepare(step);
        persist(step);
        try {
            flush();
        } catch (PersistenceException e) {
            throw translated(e, step);
        }
        return step;
    }

    /**
     * Stores the user's message as the session's next step, unless the session already holds {@code maxSteps}
     * (then empty: the cap is checked by the same statement, no extra round trip).
     */
    public Optional<Step> appendUser(UUID stepId, UUID sessionId, UUID runId, String content, int maxSteps) {
        List<Object[]> rows;
        try {
            rows = getSession().createNamedQuery(Step.APPEND_USER, Object[].class)
                    .setParameter("id", stepId)
                    .setParameter("session", sessionId)
                    .setParameter("run", runId)
                    .setParameter("content", content, String.class)
                    .setParameter("maxSteps", maxSteps)
                    .getResultList();
        } catch (PersistenceException e) {
            throw isSequenceConflict(e) ? new SequenceConflictException(sessionId, -1) : e;
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.getFirst();
        Step step = new Step();
        step.id = stepId;
        step.sessionId = sessionId;
        step.runId = runId;
        step.sequence = (Integer) row[0];
        step.role = StepRole.USER;
        step.content = content;
        step.createdAt = (OffsetDateTime) row[1];
        step.completedAt = step.createdAt;
        return Optional.of(step);
    }

    /** Inserts a step of a running turn with every column as given: one statement, outside any transaction. */
    @ActivateRequestContext
    public void insert(Step step) {
        prepare(step);
        try {
            stateless.insert(step);
        } catch (RuntimeException e) {
            throw translated(e, step);
        }
    }

    /**
     * Rewrites every column of a step stored earlier (a streamed step's text so far, or its final state): one
     * statement. A step that is gone (its run was rolled back meanwhile) stays gone.
     */
    @ActivateRequestContext
    public void update(Step step) {
        try {
            stateless.update(step);
        } catch (RuntimeException e) {
            if (!isGone(e)) {
                throw e;
            }
        }
    }

    /** Gives a step its place in its run's event stream (a call decided while the run was paused, once resumed). */
    public void setEventSeq(UUID stepId, long eventSeq) {
        update("eventSeq = ?1 where id = ?2", eventSeq, stepId);
    }

    /** Steps of a session in order, optionally limited to [startSeq, endSeq] (both inclusive, both optional). */
    public List<Step> findBySession(UUID sessionId, Integer startSeq, Integer endSeq) {
        return find("sessionId = :s and sequence >= :from and sequence <= :to order by sequence",
                range(sessionId, startSeq, endSeq)).list();
    }

    /** One page of {@link #findBySession}: at most {@code limit} steps. */
    public List<Step> findPageBySession(UUID sessionId, Integer startSeq, Integer endSeq, int limit) {
        return find("sessionId = :s and sequence >= :from and sequence <= :to order by sequence",
                range(sessionId, startSeq, endSeq)).range(0, limit - 1).list();
    }

    /** The last {@code limit} steps of a session, in order: the context window without reading the whole session. */
    @ActivateRequestContext
    public List<Step> findTail(UUID sessionId, int limit) {
        return stateless.createSelectionQuery("from Step where sessionId = :s order by sequence desc", Step.class)
                .setParameter("s", sessionId).setMaxResults(limit).getResultList().reversed();
    }

    /**
     * The steps of a run with their places in its event stream, in order, for a replay of its events (the user step
     * included: it says which sequence the run answered).
     */
    @ActivateRequestContext
    public List<Step> findByRun(UUID runId) {
        return stateless.createSelectionQuery("from Step where runId = :r order by sequence", Step.class)
                .setParameter("r", runId).getResultList();
    }

    /**
     * A version of a run's stored steps that changes whenever one is inserted or rewritten (each row's {@code xmin},
     * the transaction that wrote it), read from the rows' headers without their contents: a follower compares it
     * before reading the steps again.
     */
    @ActivateRequestContext
    public String versionOfRun(UUID runId) {
        return (String) stateless.createNamedQuery(Step.VERSION_OF_RUN, Object[].class).setParameter("run", runId)
                .getSingleResult()[0];
    }

    public Optional<Step> findBySequence(UUID sessionId, int sequence) {
        return find("sessionId = ?1 and sequence = ?2", sessionId, sequence).firstResultOptional();
    }

    public Optional<Step> findByExternalId(UUID sessionId, String externalId) {
        return find("sessionId = ?1 and externalId = ?2", sessionId, externalId).firstResultOptional();
    }

    /** The highest sequence of the session, 0 when it has none. */
    public int maxSequence(UUID sessionId) {
        Integer max = getEntityManager()
                .createQuery("select max(s.sequence) from Step s where s.sessionId = :s", Integer.class)
                .setParameter("s", sessionId).getSingleResult();
        return max == null ? 0 : max;
    }

    /**
     * Deletes what a run wrote if it is still the session's last run (a run another turn answered after is kept, so
     * sequences stay contiguous), after locking the session's row as a new turn does before appending its step.
     */
    public long deleteOfLastRun(UUID runId) {
        getSession().createNamedQuery(Step.LOCK_SESSION_OF_RUN, Object[].class).setParameter("run", runId).getResultList();
        return getSession().createNamedQuery(Step.DELETE_OF_LAST_RUN).setParameter("run", runId).executeUpdate();
    }

    /** Copies steps 1..{@code upto} of {@code origin} into the session {@code fork}: one INSERT … SELECT. */
    public int copyToFork(UUID origin, int upto, UUID fork) {
        return getSession().createNamedQuery(Step.COPY_TO_FORK)
                .setParameter("fork", fork).setParameter("origin", origin).setParameter("upto", upto)
                .executeUpdate();
    }

    /** What a session's summary counts, in one pass over its steps. */
    public record Totals(long steps, long user, long assistant, long tool, Integer minSequence, Integer maxSequence,
                         long inputTokens, long outputTokens) {
    }

    public Totals totals(UUID sessionId) {
        Object[] row = getEntityManager().createQuery("""
                        select count(*), count(*) filter (where s.role = :user),
                               count(*) filter (where s.role = :assistant), count(*) filter (where s.role = :tool),
                               min(s.sequence), max(s.sequence), sum(s.inputTokens), sum(s.outputTokens)
                          from Step s where s.sessionId = :s""", Object[].class)
                .setParameter("user", StepRole.USER).setParameter("assistant", StepRole.ASSISTANT)
                .setParameter("tool", StepRole.TOOL).setParameter("s", sessionId).getSingleResult();
        return new Totals(count(row[0]), count(row[1]), count(row[2]), count(row[3]), (Integer) row[4],
                (Integer) row[5], count(row[6]), count(row[7]));
    }

    /** A count or a sum; a sum over no rows is null. */
    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** The last user step before {@code sequence} (what a regeneration from there answers). */
    public Optional<Step> findLastUserBefore(UUID sessionId, int sequence) {
        return find("sessionId = ?1 and role = ?2 and sequence < ?3 order by sequence desc", sessionId, StepRole.USER,
                sequence).firstResultOptional();
    }

    /** Deletes the steps from {@code startSeq} on; answers how many went. */
    public long deleteFrom(UUID sessionId, int startSeq) {
        return delete("sessionId = ?1 and sequence >= ?2", sessionId, startSeq);
    }

    private void prepare(Step step) {
        if (step.id == null) {
            step.id = Ids.newId();
        }
        if (step.createdAt == null) {
            step.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        }
    }

    private static RuntimeException translated(RuntimeException e, Step step) {
        return isSequenceConflict(e) ? new SequenceConflictException(step.sessionId, step.sequence) : e;
    }

    static boolean isSequenceConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException cve
                    && SEQUENCE_CONSTRAINT.equals(cve.getConstraintName())) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains(SEQUENCE_CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static Parameters range(UUID sessionId, Integer startSeq, Integer endSeq) {
        return Parameters.with("s", sessionId)
                .and("from", startSeq == null ? Integer.MIN_VALUE : startSeq)
                .and("to", endSeq == null ? Integer.MAX_VALUE : endSeq);
    }
}
