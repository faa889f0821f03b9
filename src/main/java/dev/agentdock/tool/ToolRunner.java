package dev.agentdock.tool;

import dev.agentdock.common.RunLogContext;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one tool call: looks the tool up among those allowed, binds the JSON arguments, enforces the tool's time
 * limit, and turns every failure (unknown tool, bad arguments, exception, timeout) into an error result. Each call
 * is timed ({@link ToolMetrics}); what is logged for it — on the tool's own thread too — carries the run's ids.
 */
@ApplicationScoped
public class ToolRunner {

    private final ToolRegistry registry;
    private final ToolMetrics metrics;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    ToolRunner(ToolRegistry registry, ToolMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    public ToolResult run(String name, String argumentsJson, Collection<String> allowed, ToolCallContext context) {
        long start = System.nanoTime();
        Executed executed;
        try (RunLogContext logs = RunLogContext.enter(context == null ? null : context.sessionId(),
                context == null ? null : context.runId())) {
            executed = execute(name, argumentsJson, allowed, context, start);
        } catch (RuntimeException | Error e) {
            metrics.record(name, ToolMetrics.Outcome.ERROR, System.nanoTime() - start);
            throw e;
        }
        metrics.record(name, executed.outcome(), System.nanoTime() - start);
        return executed.result();
    }

    private record Executed(ToolResult result, ToolMetrics.Outcome outcome) {
    }

    private Executed execute(String name, String argumentsJson, Collection<String> allowed, ToolCallContext context,
                             long start) {
        if (allowed != null && !allowed.contains(name) || !registry.has(name)) {
            return failed(name, "tool '" + name + "' is not available to this agent", start);
        }
        RegisteredTool tool = registry.find(name).orElseThrow();
        String arguments = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
        ToolExecutionRequest request = ToolExecutionRequest.builder().name(name).arguments(arguments).build();
        Future<String> call = threads.submit(() -> {
            // the tool's own thread: whatever the tool logs belongs to the run too
            try (RunLogContext logs = RunLogContext.enter(context == null ? null : context.sessionId(),
                    context == null ? null : context.runId())) {
                return tool.executor().execute(request, context);
            }
        });
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
