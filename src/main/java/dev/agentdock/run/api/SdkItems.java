package dev.agentdock.run.api;

import dev.agentdock.session.StepView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Steps in the item shapes of the Agents SDK transcript: messages, function calls and their outputs. */
final class SdkItems {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private SdkItems() {
    }

    static List<Map<String, Object>> of(StepView step) {
        List<Map<String, Object>> items = new ArrayList<>();
        switch (step.role()) {
            case "tool" -> items.add(Map.of("type", "function_call_output", "call_id", nz(step.toolCallId()),
                    "output", nz(step.content())));
            case "assistant" -> {
                if (step.content() != null && !step.content().isEmpty()) {
                    items.add(message("assistant", step.content()));
                }
                if (step.toolCalls() != null) {
                    try {
                        for (var call : JSON.readTree(step.toolCalls())) {
                            Map<String, Object> item = new LinkedHashMap<>();
                            item.put("type", "function_call");
                            item.put("call_id", call.path("id").asText());
                            item.put("name", call.path("function").path("name").asText());
                            item.put("arguments", call.path("function").path("arguments").asText());
                            items.add(item);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("stored tool_calls are not JSON", e);
                    }
                }
            }
            default -> items.add(message(step.role(), nz(step.content())));
        }
        return items;
    }

    private static Map<String, Object> message(String role, String content) {
        return Map.of("type", "message", "role", role, "content", content);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
