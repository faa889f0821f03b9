package dev.agentdock.run.loop;

import static dev.agentdock.common.GenAiAttributes.AGENT_NAME;
import static dev.agentdock.common.GenAiAttributes.CANCELLED;
import static dev.agentdock.common.GenAiAttributes.CONVERSATION_ID;
import static dev.agentdock.common.GenAiAttributes.ERROR_TYPE;
import static dev.agentdock.common.GenAiAttributes.FINISH_REASONS;
import static dev.agentdock.common.GenAiAttributes.INPUT_TOKENS;
import static dev.agentdock.common.GenAiAttributes.OPENAI;
import static dev.agentdock.common.GenAiAttributes.OPERATION_NAME;
import static dev.agentdock.common.GenAiAttributes.OUTPUT_TOKENS;
import static dev.agentdock.common.GenAiAttributes.PROVIDER_NAME;
import static dev.agentdock.common.GenAiAttributes.REQUEST_MODEL;
import static dev.agentdock.common.GenAiAttributes.RESPONSE_ID;
import static dev.agentdock.common.GenAiAttributes.RESPONSE_MODEL;
import static dev.agentdock.common.GenAiAttributes.RUN_ID;
import static dev.agentdock.common.GenAiAttributes.RUN_STATUS;
import static dev.agentdock.common.GenAiAttributes.SESSION_ID;
import static dev.agentdock.common.GenAiAttributes.SYSTEM;
import static dev.agentdock.common.GenAiAttributes.TIME_TO_FIRST_TOKEN_MS;
import static dev.agentdock.common.GenAiAttributes.UPSTREAM;

import dev.agentdock.agent.AgentSpec;
import dev.agentdock.common.Tracing;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.session.RunStatus;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The run's spans, in the GenAI semantic conventions: one {@code invoke_agent} span per run (carrying the run and
 * session ids) and, as its children, one {@code chat} span per model call; tool calls add {@code execute_tool}
 * spans (see the tool runner). With tracing off every method returns at once with the invalid span.
 */
@ApplicationScoped
class RunTracing {

    private final Tracing tracing;

    RunTracing(Tracing tracing) {
        this.tracing = tracing;
    }

    /** The context a run started now continues (the request that started it); root when tracing is off. */
    Context current() {
        return tracing.current();
    }

    Scope makeCurrent(Span span) {
        return tracing.makeCurrent(span);
    }

    Span startRun(Context parent, ActiveRun run, AgentSpec agent, String model) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        return tracing.span("invoke_agent " + agent.name())
                .setParent(parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION_NAME, "invoke_agent")
                .setAttribute(PROVIDER_NAME, OPENAI)
                .setAttribute(AGENT_NAME, agent.name())
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(CONVERSATION_ID, run.sessionId().toString())
                .setAttribute(SESSION_ID, run.sessionId().toString())
                .setAttribute(RUN_ID, run.runId().toString())
                .startSpan();
    }

    void runEnded(Span span, RunStatus status, String error, int inputTokens, int outputTokens) {
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute(RUN_STATUS, status.wire());
        span.setAttribute(INPUT_TOKENS, (long) inputTokens);
        span.setAttribute(OUTPUT_TOKENS, (long) outputTokens);
        if (status == RunStatus.ERROR) {
            span.setStatus(StatusCode.ERROR, error == null ? "" : error);
            span.setAttribute(ERROR_TYPE, "run_failed");
        }
    }

    /** A model call's span, started now as a child of the current (run) span. */
    Span startChat(String model, String upstream) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        return tracing.span(model == null ? "chat" : "chat " + model)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION_NAME, "chat")
                .setAttribute(PROVIDER_NAME, OPENAI)
                .setAttribute(SYSTEM, OPENAI)
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(UPSTREAM, upstream)
                .startSpan();
    }

    void chatEnded(Span span, ModelStepRunner.Result result) {
        if (!span.isRecording()) {
            return;
        }
        if (result.firstTokenMs() != null) {
            span.setAttribute(TIME_TO_FIRST_TOKEN_MS, result.firstTokenMs());
        }
        switch (result) {
            case ModelStepRunner.Completed c -> {
                ChatResponse response = c.response();
                if (response.modelName() != null) {
                    span.setAttribute(RESPONSE_MODEL, response.modelName());
                }
                if (response.id() != null) {
                    span.setAttribute(RESPONSE_ID, response.id());
                }
                if (response.finishReason() != null) {
                    span.setAttribute(FINISH_REASONS, List.of(wire(response.finishReason())));
                }
                TokenUsage usage = response.tokenUsage();
                if (usage != null && usage.inputTokenCount() != null) {
                    span.setAttribute(INPUT_TOKENS, usage.inputTokenCount().longValue());
                }
                if (usage != null && usage.outputTokenCount() != null) {
                    span.setAttribute(OUTPUT_TOKENS, usage.outputTokenCount().longValue());
                }
            }
            case ModelStepRunner.Failed f -> {
                span.setStatus(StatusCode.ERROR, f.failure().reason());
                span.setAttribute(ERROR_TYPE, f.failure().status() != null ? f.failure().status().toString() : "upstream_error");
            }
            case ModelStepRunner.Stopped s -> span.setAttribute(CANCELLED, true);
        }
        span.end();
    }

    void chatFailed(Span span, Throwable error) {
        if (span.isRecording()) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            span.setAttribute(ERROR_TYPE, error.getClass().getName());
            span.end();
        }
    }

    /** OpenAI's names for why a completion stopped. */
    private static String wire(FinishReason reason) {
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> "other";
        };
    }
}
