package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/** {@code POST /v1/chat/completions}, streamed and not, with the simulated failures of {@link Markers}. */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class ChatCompletionsRoute {

    /** Tokens a cut stream delivers before the connection drops. */
    static final int TOKENS_BEFORE_CUT = 5;
    /** Tokens a malformed or stalled stream delivers before it breaks. */
    static final int TOKENS_BEFORE_BREAK = 3;

    @Inject
    SimulatorHttp http;

    @Inject
    ReplyScript script;

    void init(@Observes Router router) {
        http.post(router, "/v1/chat/completions", false, this::handle);
    }

    private void handle(RoutingContext ctx, JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            http.error(ctx, 400, "invalid_request_error", null,
                    messages == null ? "Missing required parameter: 'messages'." : "'messages' must be a non-empty array.");
            return;
        }
        String model = body.path("model").asText("gpt-4o-mini");
        String seed = body.hasNonNull("seed") ? body.get("seed").asText() : null;
        Conversation conversation = Conversation.ofChat(messages);
        ReplyPlan plan = script.plan(conversation, ctx.request(), seed);
        JsonNode schema = StructuredReply.schemaOf(body);
        if (schema != null && !plan.isToolCall() && !conversation.endsWithToolResults()) {
            plan = new ReplyPlan(StructuredReply.tokens(schema, conversation.lastUserText()), List.of(), plan.failure(),
                    plan.ttftMs(), plan.tokenDelayMs(), plan.promptTokens());
        }
        if (http.failedEarly(ctx, plan.failure(), "chat\u0000" + messages)) {
            return;
        }
        String id = ReplyScript.randomId("chatcmpl-");
        long created = System.currentTimeMillis() / 1000;
        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            stream(ctx, plan, new ChatChunks(http, id, created, model).render(plan, includeUsage));
        } else {
            respond(ctx, plan, id, created, model);
        }
    }

    private void stream(RoutingContext ctx, ReplyPlan plan, List<ChatChunks.Rendered> chunks) {
        SseStream sse = http.stream(ctx);
        List<ChatChunks.Rendered> sent = switch (plan.failure()) {
            case CUT -> ChatChunks.firstTokens(chunks, TOKENS_BEFORE_CUT);
            case MALFORMED, STALL -> ChatChunks.firstTokens(chunks, TOKENS_BEFORE_BREAK);
            default -> chunks;
        };
        boolean first = true;
        for (ChatChunks.Rendered chunk : sent) {
            long delay = 0;
            if (chunk.token()) {
                delay = first ? plan.ttftMs() : plan.tokenDelayMs();
                first = false;
            }
            sse.data(chunk.json(), delay);
        }
        switch (plan.failure()) {
            case CUT -> sse.endWith(SseStream.Ending.CUT);
            case STALL -> sse.endWith(SseStream.Ending.STALL);
            case MALFORMED -> sse.data("{not json", plan.tokenDelayMs());
            default -> sse.data("[DONE]", 0);
        }
        sse.start();
    }

    private void respond(RoutingContext ctx, ReplyPlan plan, String id, long created, String model) {
        if (http.brokeNonStreamed(ctx, plan)) {
            return;
        }
        List<ChatWire.ToolCall> toolCalls = plan.calls().stream()
                .map(c -> new ChatWire.ToolCall(c.id(), "function", new ChatWire.Function(c.name(), c.arguments())))
                .toList();
        ChatWire.Message message = new ChatWire.Message("assistant", plan.isToolCall() ? null : plan.text(),
                toolCalls, null);
        ChatWire.Completion completion = new ChatWire.Completion(id, "chat.completion", created, model,
                ChatWire.FINGERPRINT, List.of(new ChatWire.Choice(0, message, null, plan.finishReason())),
                ChatWire.Usage.of(plan.promptTokens(), plan.completionTokens()));
        http.later(ctx, plan.totalDelayMs(), () -> http.json(ctx, 200, completion));
    }
}
