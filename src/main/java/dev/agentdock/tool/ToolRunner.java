package dev.agentdock.tool;

import static dev.agentdock.common.GenAiAttributes.ERROR_TYPE;
import static dev.agentdock.common.GenAiAttributes.OPERATION_NAME;
import static dev.agentdock.common.GenAiAttributes.RUN_ID;
import static dev.agentdock.common.GenAiAttributes.SESSION_ID;
import static dev.agentdock.common.GenAiAttributes.TOOL_CALL_ID;
import static dev.agentdock.common.GenAiAttributes.TOOL_NAME;
import static dev.agentdock.common.GenAiAttributes.TOOL_TYPE;

import dev.agentdock.common.RunLogContext;
import dev.agentdock.common.Tracing;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one tool call: looks the tool up among those allowed, binds the JSON arguments, enforces the tool's time
 * limit, and turns every failure (unknown tool, bad arguments, exception, timeout) into an error result. Each call
 * is timed ({@link ToolMetrics}), traced as an {@code execute_tool} span, and logged with the run's ids — on the
 * tool's own thread too.
 */
@ApplicationScoped
public class ToolRunner {

    private final ToolRegistry registry;
    private final ToolMetrics metrics;
    private final Tracing tracing;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    ToolRunner(ToolRegistry registry, ToolMetrics metrics, Tracing tracing) {
        this.registry = registry;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    public ToolResult run(String name, String argumentsJson, Collection<String> allowed, ToolCallContext context) {
        return run(null, name, argumentsJson, allowed, context);
    }

    /** {@code callId}: the model's id of this call, when a model asked for it. */
    public ToolResult run(String callId, String name, String argumentsJson, Collection<String> allowed,
                          ToolCallContext context) {
        UUID sessionId = context == null ? null : context.sessionId();
        UUID runId = context == null ? null : context.runId();
        long start = System.nanoTime();
        Span span = startSpan(callId, name, sessionId, runId);
        Executed executed;
        try (RunLogContext logs = RunLogContext.enter(sessionId, runId); Scope scope = tracing.makeCurrent(span)) {
            executed = execute(name, argumentsJson, allowed, context, sessionId, runId, start);
        } catch (RuntimeException | Error e) {
            metrics.record(name, ToolMetrics.Outcome.ERROR, System.nanoTime() - start);
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            span.end();
            throw e;
        }
        metrics.record(name, executed.outcome(), System.nanoTime() - start);
        if (executed.outcome() != ToolMetrics.Outcome.OK) {
            span.setStatus(StatusCode.ERROR, executed.result().error());
            span.setAttribute(ERROR_TYPE, executed.outcome() == ToolMetrics.Outcome.TIMEOUT ? "timeout" : "tool_error");
        }
        span.end();
        return executed.result();
    }

    private record Executed(ToolResult result, ToolMetrics.Outcome outcome) {
    }

    private Executed execute(String name, String argumentsJson, Collection<String> allowed, ToolCallContext context,
                             UUID sessionId, UUID runId, long start) {
        if (allowed != null && !allowed.contains(name) || !registry.has(name)) {
            return failed(name, "tool '" + name + "' is not available to this agent", start);
        }
        RegisteredTool tool = registry.find(name).orElseThrow();
        String arguments = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
        ToolExecutionRequest request = ToolExecutionRequest.builder().name(name).arguments(arguments).build();
        Callable<String> task = () -> {
            // the tool's own thread: whatever the tool logs belongs to the run too
            try (RunLogContext logs = RunLogContext.enter(sessionId, runId)) {
                return tool.executor().execute(request, context);
            }
        };
        Future<String> call = threads.submit(tracing.inCurrentContext(task));
        try {
            String result = call.get(tool.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Executed(new ToolResult(name, true, result == null ? "" : result, null, millisSince(start)),
                    ToolMetrics.Outcome.OK);
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Executed(failure(name, "tool '" + name + "' timed out after " + tool.timeout().toMillis() + " ms",
                    start), ToolMetrics.Outcome.TIMEOUT);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return failed(name, "tool '" + name + "' was cancelled", start);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            Log.debugf("tool %s failed: %s", name, cause.toString());
            return failed(name, describe(cause), start);
        }
    }

    private Span startSpan(String callId, String name, UUID sessionId, UUID runId) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        SpanBuilder span = tracing.span("execute_tool " + name)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION_NAME, "execute_tool")
                .setAttribute(TOOL_NAME, name)
                .setAttribute(TOOL_TYPE, "function");
        if (callId != null) {
            span.setAttribute(TOOL_CALL_ID, callId);
        }
        if (sessionId != null) {
            span.setAttribute(SESSION_ID, sessionId.toString());
        }
        if (runId != null) {
            span.setAttribute(RUN_ID, runId.toString());
        }
        return span.startSpan();
    }

    private static String describe(Throwable cause) {
        // LangChain4j wraps argument-binding failures and the tool's own exception; the innermost message is the useful one
        Throwable root = cause;
        boolean arguments = false;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            arguments |= t instanceof dev.langchain4j.exception.ToolArgumentsException
                    || t instanceof com.fasterxml.jackson.core.JsonProcessingException;
            root = t;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int location = message.indexOf("\n at [Source");
        message = (location > 0 ? message.substring(0, location) : message).strip();
        return (arguments ? "invalid arguments: " : "") + message;
    }

    private static Executed failed(String name, String error, long start) {
        return new Executed(failure(name, error, start), ToolMetrics.Outcome.ERROR);
    }

    private static ToolResult failure(String name, String error, long start) {
        return new ToolResult(name, false, null, error, millisSince(start));
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000.0;
    }
}
