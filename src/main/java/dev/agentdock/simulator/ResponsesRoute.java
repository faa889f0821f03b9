package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.simulator.ResponsesWire.FunctionCall;
import dev.agentdock.simulator.ResponsesWire.Message;
import dev.agentdock.simulator.ResponsesWire.OutputText;
import dev.agentdock.simulator.ResponsesWire.Response;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/responses}: the same scripted replies as Chat Completions, rendered as a {@code response} object
 * or as the typed event stream ({@code event: <type>} + {@code data:} with a {@code sequence_number}).
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class ResponsesRoute {

    @Inject
    SimulatorHttp http;

    @Inject
    ReplyScript script;

    /** A rendered event; {@code token} events are the ones separated by the token delay. */
    private record Event(String type, Map<String, Object> payload, boolean token) {}

    void init(@Observes Router router) {
        http.post(router, "/v1/responses", false, this::handle);
    }

    private void handle(RoutingContext ctx, JsonNode body) {
        JsonNode input = body.get("input");
        if (input == null || !(input.isTextual() || input.isArray())) {
            http.error(ctx, 400, "invalid_request_error", null, "Missing required parameter: 'input'.");
            return;
        }
        String instructions = body.hasNonNull("instructions") ? body.get("instructions").asText() : null;
        String seed = body.hasNonNull("seed") ? body.get("seed").asText() : null;
        ReplyPlan plan = script.plan(Conversation.ofResponses(input, instructions), ctx.request(), seed);
        if (http.failedEarly(ctx, plan.failure(), "responses\u0000" + input)) {
            return;
        }
        Response base = new Response(ReplyScript.randomId("resp_"), "response", System.currentTimeMillis() / 1000,
                "in_progress", null, null, instructions, body.path("model").asText("gpt-4o-mini"), List.of(), true,
                body.hasNonNull("previous_response_id") ? body.get("previous_response_id").asText() : null,
                "auto", List.of(), null, Map.of());
        List<Object> output = new ArrayList<>();
        String messageId = ReplyScript.randomId("msg_");
        if (plan.isToolCall()) {
            for (ReplyPlan.PlannedCall call : plan.calls()) {
                output.add(new FunctionCall(ReplyScript.randomId("fc_"), "function_call", "completed",
                        call.arguments(), call.id(), call.name()));
            }
        } else {
            output.add(new Message(messageId, "message", "completed", "assistant",
                    List.of(OutputText.of(plan.text()))));
        }
        Response done = base.with("completed", output,
                ResponsesWire.Usage.of(plan.promptTokens(), plan.completionTokens()));
        if (!body.path("stream").asBoolean(false)) {
            if (!http.brokeNonStreamed(ctx, plan)) {
                http.later(ctx, plan.totalDelayMs(), () -> http.json(ctx, 200, done));
            }
            return;
        }
        stream(ctx, plan, events(base, done, plan));
    }

    private List<Event> events(Response base, Response done, ReplyPlan plan) {
        List<Event> events = new ArrayList<>();
        events.add(event("response.created", false, "response", base));
        events.add(event("response.in_progress", false, "response", base));
        for (int i = 0; i < done.output().size(); i++) {
            if (done.output().get(i) instanceof Message message) {
                messageEvents(events, i, message, plan.textTokens());
            } else {
                functionEvents(events, i, (FunctionCall) done.output().get(i), plan.calls().get(i).argumentParts());
            }
        }
        events.add(event("response.completed", false, "response", done));
        return events;
    }

    private static void messageEvents(List<Event> events, int index, Message message, List<String> tokens) {
        String id = message.id();
        String text = message.content().getFirst().text();
        events.add(event("response.output_item.added", false, "output_index", index,
                "item", new Message(id, "message", "in_progress", "assistant", List.of())));
        events.add(event("response.content_part.added", false, "item_id", id, "output_index", index,
                "content_index", 0, "part", OutputText.of("")));
        for (String token : tokens) {
            events.add(event("response.output_text.delta", true, "item_id", id, "output_index", index,
                    "content_index", 0, "delta", token, "logprobs", List.of()));
        }
        events.add(event("response.output_text.done", false, "item_id", id, "output_index", index,
                "content_index", 0, "text", text, "logprobs", List.of()));
        events.add(event("response.content_part.done", false, "item_id", id, "output_index", index,
                "content_index", 0, "part", OutputText.of(text)));
        events.add(event("response.output_item.done", false, "output_index", index, "item", message));
    }

    private static void functionEvents(List<Event> events, int index, FunctionCall call, List<String> parts) {
        events.add(event("response.output_item.added", true, "output_index", index, "item",
                new FunctionCall(call.id(), "function_call", "in_progress", "", call.callId(), call.name())));
        for (String part : parts) {
            events.add(event("response.function_call_arguments.delta", true, "item_id", call.id(),
                    "output_index", index, "delta", part));
        }
        events.add(event("response.function_call_arguments.done", false, "item_id", call.id(),
                "output_index", index, "name", call.name(), "arguments", call.arguments()));
        events.add(event("response.output_item.done", false, "output_index", index, "item", call));
    }

    private void stream(RoutingContext ctx, ReplyPlan plan, List<Event> events) {
        int keepTokens = switch (plan.failure()) {
            case CUT -> ChatCompletionsRoute.TOKENS_BEFORE_CUT;
            case MALFORMED, STALL -> ChatCompletionsRoute.TOKENS_BEFORE_BREAK;
            default -> Integer.MAX_VALUE;
        };
        SseStream sse = http.stream(ctx);
        int sequence = 0;
        int tokens = 0;
        for (Event event : events) {
            long delay = 0;
            if (event.token()) {
                if (tokens == keepTokens) {
                    break;
                }
                delay = tokens++ == 0 ? plan.ttftMs() : plan.tokenDelayMs();
            } else if (tokens > 0 && keepTokens != Integer.MAX_VALUE) {
                break;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", event.type());
            json.put("sequence_number", sequence++);
            json.putAll(event.payload());
            sse.event(event.type(), http.write(json), delay);
        }
        switch (plan.failure()) {
            case CUT -> sse.endWith(SseStream.Ending.CUT);
            case STALL -> sse.endWith(SseStream.Ending.STALL);
            case MALFORMED -> sse.event("response.output_text.delta", "{not json", plan.tokenDelayMs());
            default -> {
            }
        }
        sse.start();
    }

    private static Event event(String type, boolean token, Object... keyValues) {
        Map<String, Object> payload = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            payload.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Event(type, payload, token);
    }
}
