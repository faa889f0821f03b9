package dev.agentdock.run.loop;

import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.RunConfig;
import dev.agentdock.run.RunMetrics;
import dev.agentdock.run.events.RunEvent;
import dev.agentdock.run.events.RunReplay;
import dev.agentdock.run.model.ChatModels;
import dev.agentdock.run.model.UpstreamFailure;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams one assistant step from the model on the run's thread: emits its deltas, flushes its text on time,
 * and ends it on completion, a stop (cancelling the upstream at once), a stall, the call's deadline or an upstream
 * error. A 429 before the first token is retried with exponential backoff.
 */
@ApplicationScoped
class ModelStepRunner {

    sealed interface Result permits Completed, Stopped, Failed {
        double durationMs();

        Double firstTokenMs();
    }

    record Completed(ChatResponse response, double durationMs, Double firstTokenMs) implements Result {
    }

    record Stopped(double durationMs, Double firstTokenMs) implements Result {
    }

    record Failed(UpstreamFailure failure, double durationMs, Double firstTokenMs) implements Result {
    }

    private final ChatModels models;
    private final RunConfig config;
    private final RunMetrics metrics;
    private final RunTracing tracing;

    ModelStepRunner(ChatModels models, RunConfig config, RunMetrics metrics, RunTracing tracing) {
        this.models = models;
        this.config = config;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    Result stream(ActiveRun run, ChatRequest request, AssistantDraft draft) {
        long backoff = config.rateLimitBackoff().toMillis();
        int connectionLosses = 0;
        for (int attempt = 0; ; attempt++) {
            Result result = streamOnce(run, request, draft);
            if (result instanceof Failed f && f.failure().isConnectionLoss() && !draft.hasOutput()
                    && connectionLosses < config.connectionRetries() && !run.stopRequested()) {
                Log.debugf("run %s: upstream connection lost before any output, retrying", run.runId());
                pause(run, 1L << connectionLosses++);
                attempt--;
                continue;
            }
            if (result instanceof Failed f && f.failure().isRateLimit() && !draft.hasOutput()
                    && attempt < config.rateLimitRetries() && !run.stopRequested()) {
                long wait = waitBefore(f.failure(), backoff, config.rateLimitMaxWait().toMillis());
                Log.infof("run %s: upstream 429, retry %d in %d ms", run.runId(), attempt + 1, wait);
                if (!pause(run, wait)) {
                    return new Stopped(f.durationMs(), null);
                }
                backoff *= 2;
                continue;
            }
            return result;
        }
    }

    /** One model call (one upstream stream), measured and traced as such. */
    private Result streamOnce(ActiveRun run, ChatRequest request, AssistantDraft draft) {
        String model = request.parameters().modelName();
        String upstream = models.providerName();
        Span span = tracing.startChat(model, upstream);
        Result result;
        try (Scope ignored = tracing.makeCurrent(span)) {
            result = consume(run, request, draft);
        } catch (RuntimeException | Error e) {
            tracing.chatFailed(span, e);
            throw e;
        }
        tracing.chatEnded(span, result);
        switch (result) {
            case Completed c -> metrics.modelCall(upstream, model, RunMetrics.ModelCallEnd.COMPLETED, c.firstTokenMs(),
                    c.durationMs(), c.response().tokenUsage());
            case Failed f -> metrics.modelCall(upstream, model, RunMetrics.ModelCallEnd.FAILED, f.firstTokenMs(),
                    f.durationMs(), null);
            case Stopped st -> metrics.modelCall(upstream, model, RunMetrics.ModelCallEnd.CANCELLED, st.firstTokenMs(),
                    st.durationMs(), null);
        }
        return result;
    }

    private Result consume(ActiveRun run, ChatRequest request, AssistantDraft draft) {
        StepStream stream = new StepStream();
        run.onWake(stream::wake);
        long start = System.nanoTime();
        long deadline = start + config.modelTimeout().toNanos();
        long idleLimit = config.streamIdleTimeout().toNanos();
        long lastSignal = start;
        Double firstToken = null;
        StreamingHandle handle = models.streaming().stream(request, stream);
        try {
            while (true) {
                if (run.stopRequested()) {
                    handle.cancel();
                    return new Stopped(millisSince(start), firstToken);
                }
                long now = System.nanoTime();
                if (now - lastSignal >= idleLimit) {
                    handle.cancel();
                    return failed("upstream stalled: no data for " + config.streamIdleTimeout().toMillis() + " ms", start, firstToken);
                }
                if (now >= deadline) {
                    handle.cancel();
                    return failed("upstream timed out after " + config.modelTimeout().toMillis() + " ms", start, firstToken);
                }
                long wait = Math.min(Math.min(idleLimit - (now - lastSignal), deadline - now), draft.nanosUntilFlush(now));
                StepStream.Signal signal = stream.poll(Math.max(wait, 1));
                now = System.nanoTime();
                if (signal == null) {
                    draft.flushIfDue(now);
                    continue;
                }
                lastSignal = now;
                switch (signal) {
                    case StepStream.Text t -> {
                        if (firstToken == null) {
                            firstToken = (now - start) / 1_000_000.0;
                        }
                        draft.append(t.text());
                        run.channel().emit(RunReplay.textDelta(draft.step.sequence, t.text()));
                        draft.deltaEmitted();
                        draft.flushIfDue(now);
                    }
                    case StepStream.ToolPart p -> {
                        if (firstToken == null) {
                            firstToken = (now - start) / 1_000_000.0;
                        }
                        int sequence = draft.step.sequence;
                        RunEvent.Delta delta = new RunEvent.Delta(null, toolDelta(p.call()));
                        run.channel().emit(stamp -> new RunEvent.StepDelta(stamp, sequence, delta));
                        draft.deltaEmitted();
                    }
                    case StepStream.Done d -> {
                        if (d.response().finishReason() == null) {
                            return failed("upstream stream ended before the model finished", start, firstToken);
                        }
                        return new Completed(d.response(), millisSince(start), firstToken);
                    }
                    case StepStream.Failed f -> {
                        return new Failed(UpstreamFailure.from(f.error()), millisSince(start), firstToken);
                    }
                    case StepStream.Wake w -> {
                    }
                }
            }
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            return new Stopped(millisSince(start), firstToken);
        } catch (RuntimeException | Error e) {
            // a flush that failed (the database went away) ends the step: nobody reads the rest of the stream
            handle.cancel();
            throw e;
        }
    }

    /** The upstream's own Retry-After when it gave one (up to {@code cap}), else our exponential backoff. */
    static long waitBefore(UpstreamFailure failure, long backoff, long cap) {
        return failure.retryAfterMs() == null ? backoff : Math.min(failure.retryAfterMs(), cap);
    }

    /** Sleeps for a backoff unless the run is stopped meanwhile; answers false on a stop. */
    private static boolean pause(ActiveRun run, long millis) {
        StepStream idle = new StepStream();
        run.onWake(idle::wake);
        try {
            idle.poll(millis * 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !run.stopRequested();
    }

    private static Map<String, Object> toolDelta(PartialToolCall call) {
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("index", call.index());
        if (call.id() != null) {
            delta.put("id", call.id());
        }
        if (call.name() != null) {
            delta.put("name", call.name());
        }
        delta.put("arguments", call.partialArguments());
        return delta;
    }

    private static Failed failed(String reason, long start, Double firstToken) {
        return new Failed(new UpstreamFailure(null, reason), millisSince(start), firstToken);
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000.0;
    }
}
