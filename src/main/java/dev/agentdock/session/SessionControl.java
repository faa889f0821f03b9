package dev.agentdock.session;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a client does with a conversation's steps: read, delete from a point, fork, summarize. */
@ApplicationScoped
public class SessionControl {

    private final SessionRepository sessions;
    private final StepRepository steps;
    private final RunRepository runs;

    SessionControl(SessionRepository sessions, StepRepository steps, RunRepository runs) {
        this.sessions = sessions;
        this.steps = steps;
        this.runs = runs;
    }

    public record StepPage(List<StepView> steps, Integer nextStartSeq) {
    }

    public record Branches(UUID sessionId, Origin forkedFrom, List<Fork> forks) {
        public record Origin(UUID sessionId, Integer sequence) {
        }

        public record Fork(UUID sessionId, Integer forkedAtSequence, OffsetDateTime createdAt) {
        }
    }

    public record Summary(UUID sessionId, long totalSteps, long userSteps, long assistantSteps, long toolSteps,
                          Map<String, Integer> sequenceRange, Map<String, Long> tokens, Map<String, Long> runsByStatus) {
    }

    public StepPage listSteps(String userId, UUID sessionId, Integer startSeq, Integer endSeq, int limit) {
        owned(userId, sessionId);
        if (startSeq != null && endSeq != null && startSeq > endSeq) {
            throw new DomainException.Invalid("end_seq", "must not be less than start_seq");
        }
        List<Step> page = steps.findPageBySession(sessionId, startSeq, endSeq, limit + 1);
        Integer next = page.size() > limit ? page.get(limit).sequence : null;
        return new StepPage(page.stream().limit(limit).map(StepView::of).toList(), next);
    }

    public StepView step(String userId, UUID sessionId, int sequence) {
        owned(userId, sessionId);
        return steps.findBySequence(sessionId, sequence).map(StepView::of)
                .orElseThrow(() -> outOfRange("sequence", sessionId, sequence, 1));
    }

    /** Deletes the steps from {@code startSeq} on; refused while a run is active. */
    @Transactional
    public long deleteFrom(String userId, UUID sessionId, int startSeq) {
        owned(userId, sessionId);
        requireNoActiveRun(sessionId);
        int max = steps.maxSequence(sessionId);
        if (startSeq < 1 || startSeq > max) {
            throw outOfRange("start_seq", sessionId, startSeq, 1);
        }
        return steps.deleteFrom(sessionId, startSeq);
    }

    /** A new session holding copies of steps 1..sequence, remembering where it came from. */
    @Transactional
    public UUID fork(String userId, UUID sessionId, int sequence) {
        AgentSession origin = owned(userId, sessionId);
        int max = steps.maxSequence(sessionId);
        if (sequence < 1 || sequence > max) {
            throw outOfRange("sequence", sessionId, sequence, 1);
        }
        AgentSession fork = sessions.create(Ids.newId(), origin.userId, origin.agentName);
        fork.scenarioId = origin.scenarioId;
        fork.rootAgent = origin.rootAgent;
        fork.title = origin.title;
        fork.forkedFromSessionId = origin.id;
        fork.forkedAtSequence = sequence;
        sessions.flush();
        steps.copyToFork(origin.id, sequence, fork.id);
        return fork.id;
    }

    public Branches branches(String userId, UUID sessionId) {
        AgentSession session = owned(userId, sessionId);
        Branches.Origin origin = session.forkedFromSessionId == null ? null
                : new Branches.Origin(session.forkedFromSessionId, session.forkedAtSequence);
        List<Branches.Fork> forks = sessions.listForks(sessionId).stream()
                .map(f -> new Branches.Fork(f.id, f.forkedAtSequence, f.createdAt)).toList();
        return new Branches(sessionId, origin, forks);
    }

    public Summary summary(String userId, UUID sessionId) {
        owned(userId, sessionId);
        StepRepository.Totals t = steps.totals(sessionId);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (AgentRun r : runs.listBySession(sessionId)) {
            byStatus.merge(r.status.wire(), 1L, Long::sum);
        }
        Map<String, Integer> range = new LinkedHashMap<>();
        range.put("min", t.minSequence());
        range.put("max", t.maxSequence());
        return new Summary(sessionId, t.steps(), t.user(), t.assistant(), t.tool(), range,
                Map.of("input", t.inputTokens(), "output", t.outputTokens(), "total", t.inputTokens() + t.outputTokens()),
                byStatus);
    }

    public List<RunView> runs(String userId, UUID sessionId) {
        owned(userId, sessionId);
        return runs.listBySession(sessionId).stream().map(RunView::of).toList();
    }

    public AgentSession owned(String userId, UUID sessionId) {
        return sessions.findOwned(sessionId, userId).orElseThrow(() -> new DomainException.NotFound("session", sessionId));
    }

    /** The run if it exists and its session belongs to the user. */
    public AgentRun ownedRun(String userId, UUID runId) {
        AgentRun run = runs.findById(runId);
        if (run == null || sessions.findOwned(run.sessionId, userId).isEmpty()) {
            throw new DomainException.NotFound("run", runId);
        }
        return run;
    }

    void requireNoActiveRun(UUID sessionId) {
        runs.findActiveRunBySession(sessionId).ifPresent(active -> {
            throw new ActiveRunException(sessionId, active.id);
        });
    }

    private DomainException.Invalid outOfRange(String field, UUID sessionId, int value, int min) {
        int max = steps.maxSequence(sessionId);
        String valid = max < min ? "the session has no steps" : "valid range is " + min + ".." + max;
        return new DomainException.Invalid(field + " " + value + " is out of range: " + valid,
                List.of(new DomainException.FieldError(field, valid)));
    }
}
