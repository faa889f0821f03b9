package dev.agentdock.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentdock.common.DomainException;
import dev.agentdock.session.ActiveRunException;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.SessionRepository;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepQuota;
import dev.agentdock.session.StepRepository;
import dev.agentdock.session.StepRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The browser's finalized Realtime transcript items, stored as steps of the same session as server-side text turns:
 * one timeline that context building, retry and fork all see. Idempotent by item id; in the order given.
 */
@ApplicationScoped
public class RealtimeItems {

    public record Stored(int stored, int skipped, int lastSequence) {
    }

    private final SessionRepository sessions;
    private final StepRepository steps;
    private final RunRepository runs;
    private final StepQuota quota;

    RealtimeItems(SessionRepository sessions, StepRepository steps, RunRepository runs, StepQuota quota) {
        this.sessions = sessions;
        this.steps = steps;
        this.runs = runs;
        this.quota = quota;
    }

    @Transactional
    public Stored append(String userId, UUID sessionId, JsonNode items) {
        sessions.findOwned(sessionId, userId).orElseThrow(() -> new DomainException.NotFound("session", sessionId));
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new DomainException.Invalid("items", "must be a non-empty array of Realtime items");
        }
        quota.admitItems(items.size());
        List<Step> parsed = new ArrayList<>();
        Map<String, String> callNames = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "items[" + i + "]";
            parsed.add(toStep(item, at, callNames));
            // the Agents SDK's session.history keeps a tool call and its output in one item
            if (item.path("type").asText().equals("function_call") && item.path("output").isTextual()) {
                Step output = new Step();
                output.externalId = identity(item, at) + ":output";
                output.provider = "realtime";
                output.completedAt = OffsetDateTime.now(ZoneOffset.UTC);
                output.role = StepRole.TOOL;
                output.toolCallId = callId(item, at);
                output.toolName = item.path("name").asText();
                output.name = output.toolName;
                output.content = item.get("output").asText();
                parsed.add(output);
            }
        }
        runs.findActiveRunBySession(sessionId).ifPresent(active -> {
            throw new ActiveRunException(sessionId, active.id);
        });
        int next = steps.maxSequence(sessionId);
        int stored = 0;
        for (Step step : parsed) {
            if (steps.findByExternalId(sessionId, step.externalId).isPresent()) {
                continue;
            }
            quota.admit(next, 1); // a refusal rolls back the whole request
            step.sessionId = sessionId;
            step.sequence = ++next;
            steps.save(step);
            stored++;
        }
        return new Stored(stored, parsed.size() - stored, next);
    }

    /**
     * An item's id: {@code id} as the Realtime API has it, else the Agents SDK's {@code itemId}, else (an output
     * item) its call id; a 422 on {@code id} only when nothing identifies it.
     */
    private static String identity(JsonNode item, String at) {
        for (String field : List.of("id", "itemId", "item_id")) {
            if (item.path(field).isTextual() && !item.get(field).asText().isBlank()) {
                return text(item, field, at);
            }
        }
        if (item.path("type").asText().equals("function_call_output")) {
            return callId(item, at) + ":output";
        }
        return text(item, "id", at);
    }

    /** {@code call_id}, or the SDK's {@code callId}. */
    private static String callId(JsonNode item, String at) {
        return item.path("call_id").isTextual() || !item.path("callId").isTextual()
                ? text(item, "call_id", at) : text(item, "callId", at);
    }

    private static Step toStep(JsonNode item, String at, Map<String, String> callNames) {
        String id = identity(item, at);
        String type = item.path("type").asText("");
        Step step = new Step();
        step.externalId = id;
        step.provider = "realtime";
        step.completedAt = OffsetDateTime.now(ZoneOffset.UTC);
        switch (type) {
            case "message" -> {
                String role = item.path("role").asText("");
                step.role = switch (role) {
                    case "user" -> StepRole.USER;
                    case "assistant" -> StepRole.ASSISTANT;
                    default -> throw new DomainException.Invalid(at + ".role", "must be user or assistant");
                };
                step.content = contentText(item.path("content"), at);
            }
            case "function_call" -> {
                String callId = callId(item, at);
                String name = text(item, "name", at);
                callNames.put(callId, name);
                ArrayNode calls = JsonNodeFactory.instance.arrayNode();
                calls.addObject().put("id", callId).put("type", "function").putObject("function")
                        .put("name", name).put("arguments", item.path("arguments").asText("{}"));
                step.role = StepRole.ASSISTANT;
                step.toolCalls = calls.toString();
            }
            case "function_call_output" -> {
                String callId = callId(item, at);
                step.role = StepRole.TOOL;
                step.toolCallId = callId;
                step.toolName = callNames.get(callId);
                step.name = step.toolName;
                step.content = item.path("output").asText("");
            }
            default -> throw new DomainException.Invalid(at + ".type",
                    "must be message, function_call or function_call_output");
        }
        return step;
    }

    /** A message's text: typed text, or the transcript of its audio parts, in order. */
    private static String contentText(JsonNode content, String at) {
        if (!content.isArray() || content.isEmpty()) {
            throw new DomainException.Invalid(at + ".content", "must be a non-empty array of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String piece = part.hasNonNull("text") ? part.get("text").asText() : part.path("transcript").asText("");
            if (!piece.isBlank()) {
                text.append(text.isEmpty() ? "" : " ").append(piece);
            }
        }
        if (text.isEmpty()) {
            throw new DomainException.Invalid(at + ".content", "has no text or transcript");
        }
        return text.toString();
    }

    private static String text(JsonNode item, String field, String at) {
        String value = item.path(field).asText("");
        if (value.isBlank() || value.length() > 200) {
            throw new DomainException.Invalid(at + "." + field, "is required (at most 200 characters)");
        }
        return value;
    }
}
