package dev.agentdock.run.loop;

import dev.agentdock.agent.AgentSpec;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.common.StorageFailures;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.RunGuardrails;
import dev.agentdock.run.RunOutcome;
import dev.agentdock.run.events.RunEnd;
import dev.agentdock.run.events.RunEndDetail;
import dev.agentdock.run.events.RunEvent;
import dev.agentdock.run.events.RunReplay;
import dev.agentdock.run.stop.DeferredWrites;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import dev.agentdock.tool.ToolCallContext;
import dev.agentdock.tool.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One run's loop, on its own virtual thread: context from the stored steps → model stream → tool calls → again,
 * until the model answers without tools, {@code max_steps} is reached, a stop arrives or something fails. Every
 * step is stored as it completes; the run row is closed exactly once.
 */
final class TurnExecution {

    /** What a run that lost its database ends with, in its terminal event and (once it is back) its row. */
    static final String STORAGE_UNAVAILABLE = "storage unavailable";

    /** A terminal event with nothing but status, totals, text and error. */
    private static final UnaryOperator<RunEnd> NO_DETAIL = UnaryOperator.identity();
    /** Whether the input guardrail redacted this turn's input (said by run_started, stored with the end). */
    private boolean inputRedacted;

    private final TurnEngine engine;
    private final ActiveRun run;
    private final AgentSpec agent;
    private int lastSequence;
    private int inputTokens;
    private int outputTokens;
    private int steps;
    private java.util.UUID lastAssistantId;
    private final StringBuilder lastText = new StringBuilder();
    private AssistantDraft current;
    private final List<Map<String, Object>> toolCalls = new ArrayList<>();

    private final Integer seed;
    private final RunGuardrails.Verdict input;
    private final Context trace;
    private Span span = Span.getInvalid();

    TurnExecution(TurnEngine engine, ActiveRun run, AgentSpec agent, int userSequence, Integer seed,
                  RunGuardrails.Verdict input, Context trace) {
        this.trace = trace;
        this.seed = seed;
        this.input = input;
        this.engine = engine;
        this.run = run;
        this.agent = agent;
        this.lastSequence = userSequence;
    }

    void execute() {
        observed(() -> {
            boolean redacted = input != null && input.action() == dev.agentdock.guard.ModerationAction.REDACT;
            inputRedacted = redacted;
            int userSequence = lastSequence;
            run.channel().emit(stamp -> new RunEvent.RunStarted(stamp, agent.name(), model(), userSequence,
                    RunEnd.flag(redacted), null, null));
            if (input != null && input.blocked()) {
                finish(RunStatus.CANCELLED, RunEnd.INPUT_BLOCKED, end -> end.trippedBy(input.guardrail()));
                return;
            }
            loop();
        });
    }

    /**
     * Runs the body on this (the run's) thread with the run's ids in every log line and its span current; an
     * unexpected failure still closes the run.
     */
    private void observed(Runnable body) {
        try (RunLogContext ignored = RunLogContext.enter(run.sessionId(), run.runId())) {
            span = engine.tracing.startRun(trace, run, agent, model());
            try (Scope scope = engine.tracing.makeCurrent(span)) {
                body.run();
            } catch (Throwable t) {
                if (StorageFailures.isUnavailable(t)) {
                    Log.warnf("run %s of session %s: the database is unreachable (%s); the run ends", run.runId(),
                            run.sessionId(), t.getMessage());
                    finish(RunStatus.ERROR, STORAGE_UNAVAILABLE, NO_DETAIL);
                } else {
                    Log.errorf(t, "run %s of session %s failed unexpectedly", run.runId(), run.sessionId());
                    finish(RunStatus.ERROR, "internal error: " + t.getClass().getSimpleName(), NO_DETAIL);
                }
            } finally {
                span.end();
            }
        }
    }

    /**
     * Continues a run whose paused step has every approval decided: the calls that needed none run now (their
     * decided siblings already have results), then the loop goes on.
     */
    void resume(List<ToolExecutionRequest> undecided, int stepsSoFar, int in, int out) {
        this.steps = stepsSoFar;
        this.inputTokens = in;
        this.outputTokens = out;
        observed(() -> {
            run.channel().emit(RunReplay.resumed(agent.name(), model()));
            announceDecidedCalls();
            for (ToolExecutionRequest call : undecided) {
                if (run.stopRequested()) {
                    storeCancelledCall(call);
                    continue;
                }
                runTool(call);
            }
            loop();
        });
    }

    /**
     * The calls a person decided while the run was paused ran in the approve request, where no stream was: the
     * resumed run sends their events first (as a replay numbers them) and stores where they went.
     */
    private void announceDecidedCalls() {
        List<Step> stored = engine.store.stepsOfRun(run.runId());
        Map<String, String> arguments = new java.util.HashMap<>();
        for (Step s : stored) {
            if (s.role == StepRole.ASSISTANT && s.toolCalls != null) {
                try {
                    for (var call : engine.json.readTree(s.toolCalls)) {
                        arguments.put(call.path("id").asText(), call.at("/function/arguments").asText(""));
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    Log.debugf("run %s: step %d's tool calls are not JSON: %s", run.runId(), s.sequence, e.getMessage());
                }
            }
        }
        for (Step s : stored) {
            if (s.role != StepRole.TOOL || s.eventSeq != null) {
                continue;
            }
            long t = run.channel().emit(RunReplay.toolStarted(s, arguments.get(s.toolCallId))).eventSeq();
            engine.store.setEventSeq(s.id, t);
            run.channel().emit(RunReplay.toolCompleted(s));
            stepCompleted(s);
        }
    }

    private void loop() {
        while (true) {
            if (run.stopRequested()) {
                finish(RunStatus.INTERRUPTED, run.stopReason(), NO_DETAIL);
                return;
            }
            if (steps >= engine.config.maxSteps()) {
                finish(RunStatus.COMPLETED, null, RunEnd::atMaxSteps);
                return;
            }
            AssistantDraft draft = new AssistantDraft(engine.store, engine.config.flushInterval().toNanos(),
                    run.sessionId(), run.runId(), lastSequence + 1, model(), engine.models.providerName());
            current = draft;
            draft.startedAt(run.channel().emit(RunReplay.stepStarted(draft.step)).eventSeq());
            ModelStepRunner.Result result = engine.modelSteps.stream(run, request(), draft);
            steps++;
            lastSequence = draft.step.sequence;
            lastAssistantId = draft.step.id;
            switch (result) {
                case ModelStepRunner.Stopped s -> {
                    draft.complete(null, s.durationMs(), s.firstTokenMs(), null, null, true, null);
                    stepCompleted(draft.step);
                    finish(RunStatus.INTERRUPTED, run.stopReason(), NO_DETAIL);
                    return;
                }
                case ModelStepRunner.Failed f -> {
                    draft.complete(null, f.durationMs(), f.firstTokenMs(), null, null, false, f.failure().reason());
                    stepCompleted(draft.step);
                    finish(RunStatus.ERROR, f.failure().reason(), end -> end.upstreamStatus(f.failure().status()));
                    return;
                }
                case ModelStepRunner.Completed c -> {
                    if (!completed(c, draft)) {
                        return;
                    }
                }
            }
        }
    }

    /** Stores the finished assistant step and runs its tool calls; answers whether the loop goes on. */
    private boolean completed(ModelStepRunner.Completed c, AssistantDraft draft) {
        ChatResponse response = c.response();
        AiMessage message = response.aiMessage();
        TokenUsage usage = response.tokenUsage();
        Integer in = usage == null ? null : usage.inputTokenCount();
        Integer out = usage == null ? null : usage.outputTokenCount();
        inputTokens += in == null ? 0 : in;
        outputTokens += out == null ? 0 : out;
        if (draft.text().isEmpty() && message.text() != null) {
            draft.append(message.text());
        }
        List<ToolExecutionRequest> calls = message.hasToolExecutionRequests() ? message.toolExecutionRequests() : List.of();
        RunGuardrails.Verdict output = calls.isEmpty() ? engine.guardrails.output(agent, draft.text()) : null;
        if (output != null && output.action() != dev.agentdock.guard.ModerationAction.ALLOW) {
            draft.replaceText(output.text());
        }
        draft.complete(calls.isEmpty() ? null : ToolCallSteps.toolCallsJson(engine.json, calls), c.durationMs(), c.firstTokenMs(), in, out, false,
                output != null && output.blocked() ? RunEnd.OUTPUT_BLOCKED : null);
        stepCompleted(draft.step);
        lastText.setLength(0);
        lastText.append(draft.text());
        if (calls.isEmpty()) {
            if (output.blocked()) {
                finish(RunStatus.COMPLETED, null, end -> end.trippedBy(output.guardrail()));
            } else {
                finish(RunStatus.COMPLETED, null, end -> end.judgedBy(output.guardrail()));
            }
            return false;
        }
        List<ToolExecutionRequest> needApproval = calls.stream()
                .filter(call -> agent.approvalTools().contains(call.name())).toList();
        if (!needApproval.isEmpty()) {
            pause(draft.step.sequence, needApproval);
            return false;
        }
        for (int i = 0; i < calls.size(); i++) {
            if (run.stopRequested()) {
                calls.subList(i, calls.size()).forEach(this::storeCancelledCall);
                finish(RunStatus.INTERRUPTED, run.stopReason(), NO_DETAIL);
                return false;
            }
            runTool(calls.get(i));
        }
        return true;
    }

    private void runTool(ToolExecutionRequest call) {
        int sequence = ++lastSequence;
        long started = toolCallStarted(call, sequence);
        ToolResult result = engine.tools.run(call.id(), call.name(), call.arguments(), agent.tools(),
                new ToolCallContext(run.userId(), run.sessionId(), run.runId()));
        Step step = toolStep(call, sequence, result.modelText());
        step.toolExecTimeMs = result.durationMs();
        step.durationMs = result.durationMs();
        step.error = result.ok() ? null : result.error();
        step.eventSeq = started;
        engine.store.insertStep(step);
        run.channel().emit(RunReplay.toolCompleted(step));
        stepCompleted(step);
        toolCalls.add(Map.of("name", call.name(), "arguments", call.arguments() == null ? "" : call.arguments(),
                "result", result.modelText()));
    }

    /** A call the run will not make any more still gets its result, so the stored context stays valid. */
    private void storeCancelledCall(ToolExecutionRequest call) {
        int sequence = ++lastSequence;
        long started = toolCallStarted(call, sequence);
        Step step = toolStep(call, sequence, "CANCELLED: the run was stopped before this tool ran");
        step.interrupted = true;
        step.eventSeq = started;
        engine.store.insertStep(step);
        run.channel().emit(RunReplay.toolCompleted(step));
        stepCompleted(step);
    }

    /** Every tool step's events are tool_call_started, tool_call_completed, step_completed, numbered from here. */
    private long toolCallStarted(ToolExecutionRequest call, int sequence) {
        String arguments = call.arguments() == null ? "" : call.arguments();
        return run.channel().emit(stamp -> new RunEvent.ToolCallStarted(stamp, call.id(), call.name(), arguments,
                sequence)).eventSeq();
    }

    private Step toolStep(ToolExecutionRequest call, int sequence, String content) {
        return ToolCallSteps.of(engine.json, run.sessionId(), run.runId(), call, sequence, content);
    }

    private void stepCompleted(Step step) {
        run.channel().emit(RunReplay.stepCompleted(step));
    }

    /** Stores the pause and lets the thread go; an approval on any instance resumes from the stored steps. */
    private void pause(int sequence, List<ToolExecutionRequest> pending) {
        engine.store.pauseRun(run.runId(), new ConversationStore.RunTotals(inputTokens, outputTokens, steps,
                lastSequence, lastAssistantId, run.channel().lastSeq() + 1,
                RunEndDetail.of(model(), inputRedacted, RunEnd.of(RunStatus.PAUSED, null, null, null, null))));
        run.channel().emit(RunEnd.paused(sequence, pending.stream().map(c -> new RunEvent.PendingCall(c.id(),
                c.name(), c.arguments() == null ? "" : c.arguments())).toList(), false));
        Log.infof("run %s of session %s paused for approval of %d tool call(s)", run.runId(), run.sessionId(), pending.size());
        engine.metrics.runEnded(RunStatus.PAUSED, agent.name());
        engine.tracing.runEnded(span, RunStatus.PAUSED, null, inputTokens, outputTokens);
        engine.ended(run, new RunOutcome(run.runId(), run.sessionId(), RunStatus.PAUSED, lastText.toString(),
                lastSequence, List.copyOf(toolCalls), Map.of("input_tokens", inputTokens, "output_tokens", outputTokens,
                "total_tokens", inputTokens + outputTokens), null));
    }

    /**
     * Stores the run's end and tells its clients, whatever fails: when the database is out of reach the run ends
     * {@code error: storage unavailable} for its clients at once, and its last writes are retried in the
     * background ({@link DeferredWrites}). The run leaves this instance's heartbeat in every case.
     */
    private void finish(RunStatus status, String error, UnaryOperator<RunEnd> detail) {
        try {
            // what the terminal event will say beyond the row, so a replay from PostgreSQL says it too
            String stored = RunEndDetail.of(model(), inputRedacted,
                    detail.apply(RunEnd.of(status, null, null, null, error)));
            if (!storeEnd(status, error, stored)) {
                status = RunStatus.ERROR;
                error = STORAGE_UNAVAILABLE;
                detail = NO_DETAIL;
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "run %s of session %s: its end could not be stored; the sweep will close it", run.runId(),
                    run.sessionId());
            status = RunStatus.ERROR;
            error = "internal error: " + e.getClass().getSimpleName();
            detail = NO_DETAIL;
        }
        try {
            announce(status, error, detail);
        } finally {
            Map<String, Object> usage = Map.of("input_tokens", inputTokens, "output_tokens", outputTokens,
                    "total_tokens", inputTokens + outputTokens);
            engine.ended(run, new RunOutcome(run.runId(), run.sessionId(), status, lastText.toString(), lastSequence,
                    List.copyOf(toolCalls), usage, error));
        }
    }

    /** Writes the cut-short step (if one is open) and the run's end; false when the database is unreachable. */
    private boolean storeEnd(RunStatus status, String error, String endDetail) {
        AssistantDraft open = current != null && !current.saved() ? current : null;
        if (open != null) {
            open.cutShort(error);
            lastSequence = Math.max(lastSequence, open.step.sequence);
            lastAssistantId = open.step.id;
        }
        ConversationStore.RunTotals totals = new ConversationStore.RunTotals(inputTokens, outputTokens, steps,
                lastSequence, lastAssistantId, run.channel().lastSeq() + 1, endDetail);
        try {
            if (open != null) {
                open.save();
            }
            engine.store.finishRun(run.runId(), status, error, totals);
            return true;
        } catch (RuntimeException e) {
            if (!StorageFailures.isUnavailable(e)) {
                throw e;
            }
        }
        Log.warnf("run %s of session %s: the database is unreachable; its end is retried in the background",
                run.runId(), run.sessionId());
        List<Runnable> writes = new ArrayList<>();
        if (open != null && !open.saved()) {
            open.cutShort(STORAGE_UNAVAILABLE);
            writes.add(open::save);
        }
        // the clients were told "storage unavailable", with no detail: so is the row
        writes.add(() -> engine.store.finishRun(run.runId(), RunStatus.ERROR, STORAGE_UNAVAILABLE,
                totals.withoutDetail()));
        engine.deferred.write(run.sessionId(), run.runId(), writes);
        return false;
    }

    /** The run's terminal event: how it ended ({@code status}, {@code error}) with what it did so far. */
    private void announce(RunStatus status, String error, UnaryOperator<RunEnd> detail) {
        run.channel().emit(detail.apply(RunEnd.of(status, lastSequence,
                RunEvent.Usage.of(inputTokens, outputTokens), lastText.toString(), error)));
        Log.infof("run %s of session %s ended %s after %d steps", run.runId(), run.sessionId(), status.wire(), steps);
        engine.metrics.runEnded(status, agent.name());
        engine.tracing.runEnded(span, status, error, inputTokens, outputTokens);
    }

    private ChatRequest request() {
        return ChatRequest.builder()
                .messages(engine.contexts.build(run.sessionId(), agent))
                .parameters(OpenAiChatRequestParameters.builder()
                        .modelName(model())
                        .seed(seed)
                        .toolSpecifications(engine.registry.specifications(agent.tools()))
                        .build())
                .build();
    }

    private String model() {
        return agent.model() == null || agent.model().isBlank() ? engine.config.defaultModel() : agent.model();
    }
}
