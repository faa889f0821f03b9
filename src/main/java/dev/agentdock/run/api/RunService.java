package dev.agentdock.run.api;

import dev.agentdock.agent.AgentDirectory;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.common.InstanceIdentity;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.Multitask;
import dev.agentdock.run.RunConfig;
import dev.agentdock.run.RunGuardrails;
import dev.agentdock.run.loop.TurnEngine;
import dev.agentdock.run.stop.RunDrain;
import dev.agentdock.run.stop.RunStops;
import dev.agentdock.session.ActiveRunException;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Starting and stopping turns: the rules around the engine (ownership, double texting, stop from anywhere). */
@ApplicationScoped
public class RunService {

    private final AgentDirectory agents;
    private final ConversationStore store;
    private final SessionRepository sessions;
    private final TurnEngine engine;
    private final RunStops stops;
    private final RunConfig config;
    private final InstanceIdentity instance;
    private final SessionAgents sessionAgents;
    private final RunGuardrails guardrails;
    private final RunDrain drain;

    RunService(RunDrain drain, RunGuardrails guardrails, SessionAgents sessionAgents, AgentDirectory agents, ConversationStore store, SessionRepository sessions, TurnEngine engine,
               RunStops stops, RunConfig config, InstanceIdentity instance) {
        this.drain = drain;
        this.agents = agents;
        this.store = store;
        this.sessions = sessions;
        this.engine = engine;
        this.stops = stops;
        this.config = config;
        this.instance = instance;
        this.sessionAgents = sessionAgents;
        this.guardrails = guardrails;
    }

    /** A started run, or a queued one ({@code run == null}). */
    public record Started(UUID runId, UUID sessionId, ActiveRun run) {
        public boolean queued() {
            return run == null;
        }
    }

    public Started chat(String agentName, String userId, UUID sessionId, UUID runId, String message, Multitask multitask) {
        AgentSpec agent = agents.find(agentName).orElseThrow(() -> new DomainException.NotFound("agent", agentName));
        return chat(agent, userId, sessionId, runId, message, multitask);
    }

    /** A turn with an explicit agent definition (SDK sessions carry their own instructions and model). */
    public Started chat(AgentSpec agent, String userId, UUID sessionId, UUID runId, String message, Multitask multitask) {
        refuseWhileDraining();
        // the input guardrail comes first: a blocked message neither interrupts nor queues, and is never sent upstream
        RunGuardrails.Verdict input = guardrails.input(agent, message);
        message = input.text();
        UUID id = runId == null ? Ids.newId() : runId;
        Multitask strategy = multitask == null ? Multitask.REJECT : multitask;
        if (sessionId != null && strategy != Multitask.REJECT) {
            Optional<AgentRun> activeRun = ownedActiveRun(sessionId, userId);
            if (activeRun.isPresent() && input.blocked()) {
                // nothing of it is stored beside the active run's steps, and the active run goes on
                throw new DomainException.Conflict("input-blocked", "the message was blocked by the input guardrail;"
                        + " it was not " + (strategy == Multitask.ENQUEUE ? "queued" : "sent")
                        + " and the active run of session " + sessionId + " goes on");
            }
            if (activeRun.isPresent()) {
                switch (strategy) {
                    case ENQUEUE -> {
                        AgentRun queued = store.enqueueRun(sessionId, userId, agent.name(), id, message);
                        // the active run may have ended between our look and the insert: nobody would start us then
                        engine.startNextPending(sessionId);
                        return new Started(queued.id, sessionId, null);
                    }
                    case INTERRUPT -> stops.stopAndWait(activeRun.get(), userId, "interrupted by a new message",
                            config.interruptWait());
                    case ROLLBACK -> {
                        stops.stopAndWait(activeRun.get(), userId, "rolled back by a new message",
                                config.interruptWait());
                        long deleted = store.deleteStepsOfRun(activeRun.get().id);
                        try (RunLogContext ignored = RunLogContext.enter(sessionId, activeRun.get().id)) {
                            Log.infof("run %s of session %s rolled back (%d steps deleted)", activeRun.get().id, sessionId, deleted);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        ConversationStore.Begun begun;
        try {
            begun = store.beginRun(sessionId, userId, agent.name(), id, instance.id(), message);
        } catch (ActiveRunException raced) {
            if (strategy != Multitask.ENQUEUE || sessionId == null || input.blocked()) {
                throw raced;
            }
            // another turn became active between our look and our begin: queue behind it, as if we had seen it
            AgentRun queued = store.enqueueRun(sessionId, userId, agent.name(), id, message);
            engine.startNextPending(sessionId);
            return new Started(queued.id, sessionId, null);
        }
        // begun.run().id, not id: another user's run may have the id the client chose (the turn got a fresh one)
        return new Started(begun.run().id, begun.session().id, engine.launch(begun, agent, userId, null, input));
    }

    /**
     * Regenerates from a point of the session: an assistant or tool step is replaced along with everything after
     * it; a user step is kept and everything after it is regenerated. A fresh seed lets the reply differ.
     * The user step answered again goes through the input guardrail again, as a new message would: redacted, it is
     * stored redacted; blocked, the run ends at once with {@code guardrail_tripped} and nothing goes upstream.
     */
    public Started retry(String userId, UUID sessionId, int sequence, UUID runId) {
        refuseWhileDraining();
        var session = sessions.findOwned(sessionId, userId).orElseThrow(() -> new DomainException.NotFound("session", sessionId));
        var target = stepAt(sessionId, sequence);
        int deleteFrom = target.role == dev.agentdock.session.StepRole.USER ? sequence + 1 : sequence;
        AgentSpec agent = sessionAgents.forSession(session);
        var asked = store.lastUserStepBefore(sessionId, deleteFrom).orElseThrow(() -> new DomainException.Invalid(
                "sequence", "there is no user message before that point to answer"));
        RunGuardrails.Verdict input = guardrails.input(agent, asked.content);
        String rewritten = java.util.Objects.equals(input.text(), asked.content) ? null : input.text();
        UUID id = runId == null ? Ids.newId() : runId;
        ConversationStore.Begun begun = store.beginRegeneration(sessionId, userId, id, instance.id(), deleteFrom,
                asked.id, rewritten);
        return new Started(begun.run().id, sessionId, engine.launch(begun, agent, userId,
                java.util.concurrent.ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE), input));
    }

    private dev.agentdock.session.Step stepAt(UUID sessionId, int sequence) {
        return store.stepAt(sessionId, sequence).orElseThrow(() -> {
            int max = store.maxSequence(sessionId);
            String valid = max < 1 ? "the session has no steps" : "valid range is 1.." + max;
            return new DomainException.Invalid("sequence " + sequence + " is out of range: " + valid,
                    java.util.List.of(new DomainException.FieldError("sequence", valid)));
        });
    }

    /** A stop as it was answered: the run it names and how far it reached. */
    public record StopRequested(UUID runId, RunStops.Reach reach) {
        public java.util.Map<String, Object> view() {
            return java.util.Map.of("run_id", runId, "stop_requested", true, "reach", reach.wire());
        }
    }

    /** Stops a session's run (the given one, or the active one) wherever it executes. */
    public StopRequested stop(String userId, UUID sessionId, UUID runId) {
        requireOwned(sessionId, userId);
        if (runId != null) {
            // A run the client named before it started is flagged now (for this session only) and stops as soon as
            // it begins. A run of another session (maybe another user's) is answered as an unknown id is: the stop
            // is scoped to the caller's session, so it cannot touch that run.
            Optional<AgentRun> named = store.findRun(runId).filter(r -> r.sessionId.equals(sessionId));
            if (named.isPresent() && named.get().status.isFinished()) {
                // as /api/runs/{id}/cancel answers: "stop requested" would claim a stop that cannot happen
                throw new DomainException.Conflict("run-finished",
                        "run " + runId + " already ended (" + named.get().status.wire() + ")");
            }
            RunStops.Reach reach = stops.stop(userId, sessionId, runId, "stopped by the user");
            named.filter(r -> r.status == RunStatus.PAUSED || r.status == RunStatus.PENDING)
                    .ifPresent(r -> stops.cancel(r, "stopped by the user"));
            return new StopRequested(runId, reach);
        }
        AgentRun active = store.findActiveRun(sessionId)
                .orElseThrow(() -> new DomainException.Conflict("no-active-run", "session " + sessionId + " has no active run"));
        RunStops.Reach reach = stops.stop(userId, active.sessionId, active.id, "stopped by the user");
        if (active.status == RunStatus.PAUSED) {
            stops.cancel(active, "stopped by the user");
        }
        return new StopRequested(active.id, reach);
    }

    /** A shutting-down instance starts nothing: the client sends the turn again, and it lands elsewhere. */
    void refuseWhileDraining() {
        if (drain.draining()) {
            throw new DomainException.Unavailable("this instance is shutting down; send the request again");
        }
    }

    private Optional<AgentRun> ownedActiveRun(UUID sessionId, String userId) {
        if (sessions.findOwned(sessionId, userId).isEmpty()) {
            return Optional.empty(); // beginRun creates it, or answers 404 if it is somebody else's
        }
        return store.findActiveRun(sessionId);
    }

    private void requireOwned(UUID sessionId, String userId) {
        if (sessions.findOwned(sessionId, userId).isEmpty()) {
            throw new DomainException.NotFound("session", sessionId);
        }
    }
}
