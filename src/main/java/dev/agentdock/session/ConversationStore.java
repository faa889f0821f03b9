package dev.agentdock.session;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the relational record of a conversation as a turn goes: each method is one short transaction, and the
 * number of statements per turn does not depend on how many tokens stream through it.
 */
@ApplicationScoped
public class ConversationStore {

    private final SessionRepository sessions;
    private final StepRepository steps;
    private final RunRepository runs;
    private final StepQuota quota;

    ConversationStore(SessionRepository sessions, StepRepository steps, RunRepository runs, StepQuota quota) {
        this.sessions = sessions;
        this.steps = steps;
        this.runs = runs;
        this.quota = quota;
    }

    /** What a started run needs: its row, its session and its user step. */
    public record Begun(AgentSession session, AgentRun run, Step userStep) {
    }

    /**
     * Opens a turn: finds or creates the user's session, records the run as running on this instance, and stores
     * the user's message as the next step. A second active run of the session is refused by the database.
     */
    @Transactional
    public Begun beginRun(UUID sessionId, String userId, String agentName, UUID runId, String instanceId, String message) {
        AgentSession session = sessions.upsert(sessionId == null ? Ids.newId() : sessionId, userId, agentName);
        if (!session.userId.equals(userId)) {
            throw new DomainException.NotFound("session", sessionId);
        }
        AgentRun run = newRun(idFor(runId, userId), session.id, agentName, RunStatus.RUNNING);
        run.instanceId = instanceId;
        run.heartbeatAt = run.startedAt;
        run.userMessageId = Ids.newId();
        insertActive(run, userId);
        Step user = steps.appendUser(run.userMessageId, session.id, run.id, message, quota.maxSteps())
                .orElseThrow(() -> quota.full(steps.maxSequence(session.id)));
        return new Begun(session, run, user);
    }

    /** Records {@code run} as the session's active run, under another id when its own was taken since we looked. */
    private void insertActive(AgentRun run, String userId) {
        while (!runs.insertIfFree(run)) {
            if (!runs.exists(run.id)) {
                throw new ActiveRunException(run.sessionId, runs.findActiveRunBySession(run.sessionId)
                        .map(active -> active.id).orElse(null));
            }
            run.id = idFor(run.id, userId); // taken since we looked: the same rule
        }
    }

    /**
     * The id a new run of {@code userId} gets for the one its client chose: that id when nobody used it, a fresh one
     * when another user's run has it (a client-chosen id is scoped to its user: the caller learns nothing of the
     * other run), and {@code 409 run-id-reused} when the caller's own run has it.
     */
    private UUID idFor(UUID chosen, String userId) {
        Optional<String> owner = runs.findOwner(chosen);
        if (owner.isEmpty()) {
            return chosen;
        }
        if (owner.get().equals(userId)) {
            throw new DomainException.Conflict("run-id-reused", "run_id " + chosen + " was already used");
        }
        return Ids.newId();
    }

    /**
     * Opens a regeneration ({@code retry}): deletes the steps from {@code deleteFrom} on and records a running run
     * whose context is what remains — no new user step. Refused while another run is active. {@code answered} is the
     * user step the caller judged (the last before {@code deleteFrom}); {@code rewritten}, when not null, replaces
     * its content (the input guardrail's redaction).
     */
    @Transactional
    public Begun beginRegeneration(UUID sessionId, String userId, UUID runId, String instanceId, int deleteFrom,
                                   UUID answered, String rewritten) {
        AgentSession session = sessions.findOwned(sessionId, userId)
                .orElseThrow(() -> new DomainException.NotFound("session", sessionId));
        runs.findActiveRunBySession(sessionId).ifPresent(active -> {
            throw new ActiveRunException(sessionId, active.id);
        });
        steps.deleteFrom(sessionId, deleteFrom);
        Step lastUser = steps.findLastUserBefore(sessionId, deleteFrom).orElse(null);
        if (lastUser == null) {
            throw new DomainException.Invalid("sequence", "there is no user message before that point to answer");
        }
        if (answered != null && !lastUser.id.equals(answered)) {
            throw new DomainException.Conflict("session-changed", "session " + sessionId
                    + " changed while the retry was prepared; send it again");
        }
        if (rewritten != null) {
            lastUser.content = rewritten;
        }
        AgentRun run = newRun(idFor(runId, userId), sessionId,
                session.rootAgent != null ? session.rootAgent : session.agentName, RunStatus.RUNNING);
        run.instanceId = instanceId;
        run.heartbeatAt = run.startedAt;
        run.userMessageId = lastUser.id;
        insertActive(run, userId);
        sessions.touch(sessionId);
        Step anchor = new Step();
        anchor.sequence = steps.maxSequence(sessionId);
        anchor.id = lastUser.id;
        return new Begun(session, run, anchor);
    }

    /** Queues a turn behind the active one ({@code enqueue}): the message waits in the run row. */
    @Transactional
    public AgentRun enqueueRun(UUID sessionId, String userId, String agentName, UUID runId, String message) {
        AgentSession session = ownedOrNew(sessionId, userId, agentName);
        quota.admit(steps.maxSequence(session.id), 1);
        AgentRun run = newRun(idFor(runId, userId), session.id, agentName, RunStatus.PENDING);
        run.pendingInput = message;
        runs.persist(run);
        return run;
    }

    /** Whether a queued run waits in the session: the cheap look before {@link #startClaimed}'s transaction. */
    public boolean hasPending(UUID sessionId) {
        return runs.hasPending(sessionId);
    }

    /**
     * Starts a queued run that {@link RunRepository#claimNextPending} gives this instance; empty when there is none,
     * or when another instance made a run of the session active meanwhile (that transaction is rolled back).
     */
    public Optional<Begun> startClaimed(UUID sessionId, String instanceId) {
        try {
            return QuarkusTransaction.joiningExisting().call(() -> claim(sessionId, instanceId));
        } catch (RuntimeException e) {
            if (RunRepository.isActiveRunConflict(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Begun> claim(UUID sessionId, String instanceId) {
        return runs.claimNextPending(sessionId, instanceId).map(runId -> {
            AgentRun run = runs.findById(runId);
            runs.getEntityManager().refresh(run);
            // the cap was checked when the message was queued: a queued turn is never dropped here
            Step user = steps.appendUser(Ids.newId(), sessionId, run.id, run.pendingInput, Integer.MAX_VALUE)
                    .orElseThrow();
            run.userMessageId = user.id;
            run.pendingInput = null;
            return new Begun(sessions.findById(sessionId), run, user);
        });
    }

    /** Stores a step of a run (one statement, its own transaction). */
    public void insertStep(Step step) {
        steps.insert(step);
    }

    /** Writes a step as it stands, inserted by an earlier flush or not: one statement, its own transaction. */
    public void saveStep(Step step, boolean alreadyInserted) {
        if (alreadyInserted) {
            steps.update(step);
        } else {
            steps.insert(step);
        }
    }

    /** Closes a run with its outcome and touches its session; only a run still open changes. */
    public boolean finishRun(UUID runId, RunStatus status, String error, RunTotals totals) {
        return runs.finish(runId, status, error, totals);
    }

    /**
     * Removes what a rolled-back run wrote, if it is still the session's last run: a run another turn already
     * answered after is kept, so sequences stay contiguous. The session's row is locked first, as a new turn locks
     * it before appending its step, so the two cannot interleave.
     */
    @Transactional
    public long deleteStepsOfRun(UUID runId) {
        return steps.deleteOfLastRun(runId);
    }

    @ActivateRequestContext
    public Optional<AgentRun> findRun(UUID runId) {
        return Optional.ofNullable(runs.findById(runId));
    }

    /** The run's status as the database has it now (a query, never a cached entity). */
    @ActivateRequestContext
    public Optional<RunStatus> currentStatus(UUID runId) {
        return runs.findStatus(runId);
    }

    @ActivateRequestContext
    public Optional<AgentRun> findActiveRun(UUID sessionId) {
        return runs.findActiveRunBySession(sessionId);
    }

    public List<Step> contextTail(UUID sessionId, int limit) {
        return steps.findTail(sessionId, limit);
    }

    /** A run's steps in order, with their places in its event stream (for a replay). */
    public List<Step> stepsOfRun(UUID runId) {
        return steps.findByRun(runId);
    }

    /** Changes whenever a step of the run is stored or rewritten (see {@link StepRepository#versionOfRun}). */
    public String stepsVersion(UUID runId) {
        return steps.versionOfRun(runId);
    }

    @Transactional
    public void setEventSeq(UUID stepId, long eventSeq) {
        steps.setEventSeq(stepId, eventSeq);
    }

    /** The last user step before {@code sequence} (what a regeneration from there answers). */
    @ActivateRequestContext
    public Optional<Step> lastUserStepBefore(UUID sessionId, int sequence) {
        return steps.findLastUserBefore(sessionId, sequence);
    }

    @ActivateRequestContext
    public Optional<Step> stepAt(UUID sessionId, int sequence) {
        return steps.findBySequence(sessionId, sequence);
    }

    @ActivateRequestContext
    public int maxSequence(UUID sessionId) {
        return steps.maxSequence(sessionId);
    }

    /** Totals a run accumulates while it goes, written once at the end. */
    public record RunTotals(int inputTokens, int outputTokens, int steps, Integer lastSequence, UUID assistantStepId,
                            long eventSeq, String endDetail) {
        public RunTotals(int inputTokens, int outputTokens, int steps, Integer lastSequence, UUID assistantStepId) {
            this(inputTokens, outputTokens, steps, lastSequence, assistantStepId, 0, null);
        }

        /** The same totals without an end detail (a run whose end is stored as a failure of its own). */
        public RunTotals withoutDetail() {
            return new RunTotals(inputTokens, outputTokens, steps, lastSequence, assistantStepId, eventSeq, null);
        }
    }

    /** Parks a run waiting for a human decision: it stays active (one per session) but holds no thread. */
    @Transactional
    public void pauseRun(UUID runId, RunTotals totals) {
        AgentRun run = runs.findById(runId);
        run.status = RunStatus.PAUSED;
        run.inputTokens = totals.inputTokens();
        run.outputTokens = totals.outputTokens();
        run.totalTokens = totals.inputTokens() + totals.outputTokens();
        run.stepCount = totals.steps();
        run.lastSequence = totals.lastSequence();
        run.eventSeq = totals.eventSeq();
        if (totals.endDetail() != null) {
            run.endDetail = totals.endDetail();
        }
        run.heartbeatAt = null;
    }

    private AgentSession ownedOrNew(UUID sessionId, String userId, String agentName) {
        if (sessionId == null) {
            return sessions.create(Ids.newId(), userId, agentName);
        }
        AgentSession existing = sessions.findById(sessionId);
        if (existing == null) {
            return sessions.create(sessionId, userId, agentName);
        }
        if (!existing.userId.equals(userId)) {
            throw new DomainException.NotFound("session", sessionId);
        }
        return existing;
    }



    private static AgentRun newRun(UUID runId, UUID sessionId, String agentName, RunStatus status) {
        AgentRun run = new AgentRun();
        run.id = runId;
        run.sessionId = sessionId;
        run.agentName = agentName;
        run.status = status;
        run.startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        return run;
    }
}
