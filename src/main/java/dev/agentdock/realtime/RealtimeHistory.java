package dev.agentdock.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRepository;
import dev.agentdock.session.StepRole;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored session as Realtime conversation items ({@code conversation.item.create} items, GA shapes): user and
 * assistant text messages, function calls and their outputs, in order. Trimmed to a budget of characters by
 * dropping the oldest whole turns (a turn starts at a user step), so a call is never split from its output. Steps
 * a guardrail blocked are left out. Each item's id is the step's own call item id when it came from a call (so the
 * timeline does not store it twice when the call echoes it), else {@link #ID_PREFIX} and the step id.
 */
@ApplicationScoped
public class RealtimeHistory {

    /** Ids of items the service made from stored text steps; the call timeline does not store them again. */
    public static final String ID_PREFIX = "adh_";

    private final StepRepository steps;
    private final RealtimeConfig config;
    private final ObjectMapper json;

    RealtimeHistory(StepRepository steps, RealtimeConfig config, ObjectMapper json) {
        this.steps = steps;
        this.config = config;
        this.json = json;
    }

    public List<Map<String, Object>> items(UUID sessionId) {
        List<Step> stored = QuarkusTransaction.requiringNew().call(() -> steps.findTail(sessionId, 1000));
        return items(stored, config.historyMaxChars(), json);
    }

    /** {@code stored} (in order) as items, the oldest whole turns dropped until they fit in {@code budget}. */
    static List<Map<String, Object>> items(List<Step> stored, int budget, ObjectMapper json) {
        List<List<Map<String, Object>>> turns = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Step step : stored) {
            if (step.error != null || step.role == StepRole.SYSTEM) {
                continue;
            }
            if (step.role == StepRole.USER || turns.isEmpty()) {
                turns.add(new ArrayList<>());
                sizes.add(0);
            }
            int last = turns.size() - 1;
            for (Map<String, Object> item : itemsOf(step, json)) {
                turns.get(last).add(item);
                sizes.set(last, sizes.get(last) + size(item));
            }
        }
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        int first = 0;
        while (first < turns.size() && total > budget) {
            total -= sizes.get(first++);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        turns.subList(first, turns.size()).forEach(items::addAll);
        return items;
    }

    private static List<Map<String, Object>> itemsOf(Step step, ObjectMapper json) {
        List<Map<String, Object>> items = new ArrayList<>();
        switch (step.role) {
            case USER -> {
                if (step.content != null && !step.content.isBlank()) {
                    items.add(message(step, "user", "input_text"));
                }
            }
            case ASSISTANT -> {
                if (step.content != null && !step.content.isBlank()) {
                    items.add(message(step, "assistant", "output_text"));
                }
                if (step.toolCalls != null) {
                    try {
                        int n = 0;
                        for (JsonNode call : json.readTree(step.toolCalls)) {
                            Map<String, Object> item = new LinkedHashMap<>();
                            // a step with several calls: the first keeps the step's id, the rest are derived
                            item.put("id", n++ == 0 && step.content == null ? id(step) : derivedId(step, n));
                            item.put("type", "function_call");
                            item.put("call_id", call.path("id").asText());
                            item.put("name", call.path("function").path("name").asText());
                            item.put("arguments", call.path("function").path("arguments").asText("{}"));
                            items.add(item);
                        }
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        // an unreadable call is left out with its output below
                    }
                }
            }
            case TOOL -> {
                if (step.toolCallId != null) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", id(step));
                    item.put("type", "function_call_output");
                    item.put("call_id", step.toolCallId);
                    item.put("output", step.content == null ? "" : step.content);
                    items.add(item);
                }
            }
            default -> {
            }
        }
        return items;
    }

    private static Map<String, Object> message(Step step, String role, String partType) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id(step));
        item.put("type", "message");
        item.put("role", role);
        item.put("content", List.of(Map.of("type", partType, "text", step.content)));
        return item;
    }

    /** Realtime item ids are at most 32 characters. */
    private static String id(Step step) {
        if (step.externalId != null && step.externalId.length() <= 32 && step.externalId.matches("[A-Za-z0-9_\\-]+")) {
            return step.externalId;
        }
        return ID_PREFIX + step.id.toString().replace("-", "").substring(4);
    }

    private static String derivedId(Step step, int n) {
        return ID_PREFIX + n + step.id.toString().replace("-", "").substring(4 + String.valueOf(n).length());
    }

    private static int size(Map<String, Object> item) {
        int n = 0;
        for (Object v : item.values()) {
            n += String.valueOf(v).length();
        }
        return n;
    }
}
