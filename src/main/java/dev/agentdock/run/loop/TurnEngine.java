package dev.agentdock.run.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.common.InstanceIdentity;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.RunConfig;
import dev.agentdock.run.RunGuardrails;
import dev.agentdock.run.RunMetrics;
import dev.agentdock.run.RunOutcome;
import dev.agentdock.run.events.RunEnd;
import dev.agentdock.run.events.RunEventCodec;
import dev.agentdock.run.events.RunEventRelay;
import dev.agentdock.run.model.ChatModels;
import dev.agentdock.run.stop.DeferredWrites;
import dev.agentdock.run.stop.RunDrain;
import dev.agentdock.run.stop.RunStops;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.tool.ToolRegistry;
import dev.agentdock.tool.ToolRunner;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Starts runs on virtual threads of this instance and follows them to their end. */
@ApplicationScoped
public class TurnEngine {

    final ConversationStore store;
    final StepContextBuilder contexts;
    final ModelStepRunner modelSteps;
    final ToolRunner tools;
    final ToolRegistry registry;
    final ChatModels models;
    final RunConfig config;
    final ObjectMapper json;
    final RunGuardrails guardrails;
    final RunMetrics metrics;
    final RunTracing tracing;
    final DeferredWrites deferred;
    private final RunDrain drain;
    private final ActiveRuns active;
    private final RunStops stops;
    private final SessionAgents agents;
    private final InstanceIdentity instance;
    private final RunEventRelay relay;
    private final dev.agentdock.orchestration.SessionEventBus sessionBus;
    private final RunEventCodec codec;

    TurnEngine(RunDrain drain, DeferredWrites deferred, RunMetrics metrics, RunTracing tracing, RunGuardrails guardrails, RunEventRelay relay, dev.agentdock.orchestration.SessionEventBus sessionBus, ConversationStore store, StepContextBuilder contexts, ModelStepRunner modelSteps, ToolRunner tools,
               ToolRegistry registry, ChatModels models, RunConfig config, ObjectMapper json, ActiveRuns active,
               RunStops stops, SessionAgents agents, InstanceIdentity instance, RunEventCodec codec) {
        this.codec = codec;
        this.store = store;
        this.contexts = contexts;
        this.modelSteps = modelSteps;
        this.tools = tools;
        this.registry = registry;
        this.models = models;
        this.config = config;
        this.json = json;
        this.active = active;
        this.stops = stops;
        this.agents = agents;
        this.instance = instance;
        this.relay = relay;
        this.guardrails = guardrails;
        this.sessionBus = sessionBus;
        this.metrics = metrics;
        this.tracing = tracing;
        this.deferred = deferred;
        this.drain = drain;
    }

    /**
     * Launches a run whose row and user step are stored, with an optional sampling seed (a retry's new draw); events
     * start flowing on its channel.
     */
    public ActiveRun launch(ConversationStore.Begun begun, AgentSpec agent, String userId, Integer seed,
                            RunGuardrails.Verdict input) {
        return launch(begun, agent, userId, seed, input, tracing.current());
    }

    /** {@code trace}: what the run's span continues (the request that asked for it, or nothing). */
    private ActiveRun launch(ConversationStore.Begun begun, AgentSpec agent, String userId, Integer seed,
                             RunGuardrails.Verdict input, Context trace) {
        ActiveRun run = new ActiveRun(begun.run().id, begun.session().id, userId);
        run.channel().subscribe(0, relay.relayFor(run.runId()));
        run.channel().subscribe(0, dev.agentdock.orchestration.RunEventsToSessions.forwarder(sessionBus, codec, userId));
        active.add(run);
        stops.arm(run);
        TurnExecution execution = new TurnExecution(this, run, agent, begun.userStep().sequence, seed, input, trace);
        Thread.ofVirtual().name("run-" + run.runId()).start(() -> guarded(run, execution::execute));
        return run;
    }

    /** Resumes a paused run, claimed by this instance, after its approvals are all decided. */
    public ActiveRun resume(dev.agentdock.session.AgentRun paused, AgentSpec agent, String userId,
                            java.util.List<dev.langchain4j.agent.tool.ToolExecutionRequest> undecided) {
        ActiveRun run = new ActiveRun(paused.id, paused.sessionId, userId, paused.eventSeq);
        run.channel().subscribe(paused.eventSeq, relay.relayFor(run.runId()));
        run.channel().subscribe(paused.eventSeq, dev.agentdock.orchestration.RunEventsToSessions.forwarder(sessionBus, codec, userId));
        active.add(run);
        stops.arm(run);
        int lastSequence = store.maxSequence(paused.sessionId);
        TurnExecution execution = new TurnExecution(this, run, agent, lastSequence, null, null, tracing.current());
        Thread.ofVirtual().name("run-" + run.runId()).start(() -> guarded(run, () -> execution.resume(undecided,
                paused.stepCount, paused.inputTokens, paused.outputTokens)));
        return run;
    }

    /**
     * A run's thread, with a last guarantee: a run whose thread ends without having ended the run (a failure while
     * ending it) still leaves this instance's heartbeat, so the sweep closes it, and its clients still hear an end.
     */
    private void guarded(ActiveRun run, Runnable body) {
        try {
            body.run();
        } finally {
            if (active.remove(run)) {
                Log.errorf("run %s of session %s: its thread ended without ending it; left to the sweep",
                        run.runId(), run.sessionId());
                run.channel().emit(RunEnd.of(dev.agentdock.session.RunStatus.ERROR, null, null, null, "internal error"));
                run.outcome().complete(new RunOutcome(run.runId(), run.sessionId(),
                        dev.agentdock.session.RunStatus.ERROR, "", 0, java.util.List.of(), java.util.Map.of(),
                        "internal error"));
            }
        }
    }

    /** Called once by a run as it ends: forget it, then start the session's next queued run, if any. */
    void ended(ActiveRun run, RunOutcome outcome) {
        active.remove(run);
        run.outcome().complete(outcome);
        stops.ended(run.runId(), outcome.status());
        // the queued run is a run of its own: its lines must not carry the ended run's ids
        try (RunLogContext ignored = RunLogContext.enter(null, null)) {
            startNextPending(run.sessionId());
        }
    }

    /** The sweep ended a session's run, or found its queue orphaned: its next queued run starts here. */
    void queuedMayStart(@jakarta.enterprise.event.Observes dev.agentdock.run.SessionFreed freed) {
        startNextPending(freed.sessionId());
    }

    /** Claims and starts the oldest queued run of the session, if there is one and nothing else is active. */
    public void startNextPending(UUID sessionId) {
        if (drain.draining()) {
            return; // it stays queued, valid: another instance's sweep starts it
        }
        try {
            // Looked at after this run's end is committed (or after the enqueuer's insert), so a run queued at the
            // same moment is seen here or the enqueuer's own call sees this run ended: one of the two starts it.
            if (!store.hasPending(sessionId)) {
                return;
            }
            store.startClaimed(sessionId, instance.id()).ifPresent(begun -> {
                // the same agent, policy included, as a run started at once would have had
                AgentSpec agent = agents.forRun(begun.session(), begun.run().agentName).orElse(null);
                try (RunLogContext ignored = RunLogContext.enter(sessionId, begun.run().id)) {
                    if (agent == null) {
                        if (store.finishRun(begun.run().id, dev.agentdock.session.RunStatus.ERROR,
                                "agent '" + begun.run().agentName + "' no longer exists",
                                new ConversationStore.RunTotals(0, 0, 0, begun.userStep().sequence, null))) {
                            metrics.runEnded(dev.agentdock.session.RunStatus.ERROR, begun.run().agentName);
                        }
                        return;
                    }
                    Log.infof("run %s of session %s: starting queued run", begun.run().id, sessionId);
                    launch(begun, agent, begun.session().userId, null, null, Context.root());
                }
            });
        } catch (RuntimeException e) {
            Log.warnf("session %s: could not start its queued run: %s", sessionId, e.getMessage());
        }
    }
}
