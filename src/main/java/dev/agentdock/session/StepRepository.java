package dev.agentdock.session;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import dev.agentdock.common.Ids;

/** Steps of sessions: the operations the step model needs, each one query. */
@ApplicationScoped
public class StepRepository implements PanacheRepositoryBase<Step, UUID> {

    static final String SEQUENCE_CONSTRAINT = "ai_agent_messages_session_sequence_uq";

    /** Stores one step now (flushed), so a concurrent writer of the same sequence fails here, typed. */
    public Step save(Step step) {
        prepare(step);
        persist(step);
        flushTranslatingConflicts(step.sessionId, step.sequence);
        return step;
    }

    /** Stores several steps in one JDBC batch. */
    public List<Step> saveAll(List<Step> steps) {
        if (steps.isEmpty()) {
            return steps;
        }
        steps.forEach(this::prepare);
        persist(steps.stream());
        flushTranslatingConflicts(steps.getFirst().sessionId, steps.getFirst().sequence);
        return steps;
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
    public List<Step> findTail(UUID sessionId, int limit) {
        List<Step> newestFirst = find("sessionId = ?1 order by sequence desc", sessionId).range(0, limit - 1).list();
        return newestFirst.reversed();
    }

    public long deleteByRun(UUID runId) {
        return delete("runId", runId);
    }

    public Optional<Step> findBySequence(UUID sessionId, int sequence) {
        return find("sessionId = ?1 and sequence = ?2", sessionId, sequence).firstResultOptional();
    }

    public Optional<Step> findLast(UUID sessionId) {
        return find("sessionId = ?1 order by sequence desc", sessionId).firstResultOptional();
    }

    public Optional<Step> findByExternalId(UUID sessionId, String externalId) {
        return find("sessionId = ?1 and externalId = ?2", sessionId, externalId).firstResultOptional();
    }

    public long countBySession(UUID sessionId) {
        return count("sessionId", sessionId);
    }

    /** The highest sequence of the session, 0 when it has none. */
    public int maxSequence(UUID sessionId) {
        Integer max = getEntityManager()
                .createQuery("select max(s.sequence) from Step s where s.sessionId = :s", Integer.class)
                .setParameter("s", sessionId).getSingleResult();
        return max == null ? 0 : max;
    }

    /** Deletes the steps from {@code startSeq} on; answers how many went. */
    public long deleteFrom(UUID sessionId, int startSeq) {
        return delete("sessionId = ?1 and sequence >= ?2", sessionId, startSeq);
    }

    /** Overwrites the streamed text of an assistant step: one UPDATE, no read. */
    public void updateContent(UUID stepId, String content) {
        update("content = ?1 where id = ?2", content, stepId);
    }

    private void prepare(Step step) {
        if (step.id == null) {
            step.id = Ids.newId();
        }
        if (step.createdAt == null) {
            step.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        }
    }

    private void flushTranslatingConflicts(UUID sessionId, int sequence) {
        try {
            flush();
        } catch (PersistenceException e) {
            if (isSequenceConflict(e)) {
                throw new SequenceConflictException(sessionId, sequence);
            }
            throw e;
        }
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

    private static Parameters range(UUID sessionId, Integer startSeq, Integer endSeq) {
        return Parameters.with("s", sessionId)
                .and("from", startSeq == null ? Integer.MIN_VALUE : startSeq)
                .and("to", endSeq == null ? Integer.MAX_VALUE : endSeq);
    }
}
