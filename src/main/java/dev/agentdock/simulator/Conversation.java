package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the simulator needs to know about an incoming conversation: the last user text (markers live there),
 * the tool results if the conversation ends with them, and a deterministic prompt token count.
 */
record Conversation(String lastUserText, List<ToolResult> toolResults, int promptTokens, List<String> roles,
                    List<String> userTexts) {

    Conversation(String lastUserText, List<ToolResult> toolResults, int promptTokens) {
        this(lastUserText, toolResults, promptTokens, List.of(), List.of());
    }

    /** One tool result; {@code name} is the function name when it can be resolved, else the call id. */
    record ToolResult(String name, String content) {}

    boolean endsWithToolResults() {
        return !toolResults.isEmpty();
    }

    /** Chat Completions {@code messages}. */
    static Conversation ofChat(JsonNode messages) {
        String lastUser = "";
        int words = 0;
        Map<String, String> callNames = new HashMap<>();
        List<ToolResult> trailingTools = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        List<String> userTexts = new ArrayList<>();
        for (JsonNode message : messages) {
            String role = message.path("role").asText("");
            String text = text(message.get("content"));
            roles.add(role);
            if (role.equals("user")) {
                userTexts.add(text);
            }
            words += countWords(text);
            for (JsonNode call : message.path("tool_calls")) {
                callNames.put(call.path("id").asText(""), call.path("function").path("name").asText(""));
                words += countWords(call.path("function").path("arguments").asText(""));
            }
            if (role.equals("tool") || role.equals("function")) {
                String id = message.path("tool_call_id").asText(message.path("name").asText(""));
                String name = message.hasNonNull("name") ? message.get("name").asText() : callNames.getOrDefault(id, id);
                trailingTools.add(new ToolResult(name.isEmpty() ? id : name, text));
            } else {
                trailingTools.clear();
                if (role.equals("user")) {
                    lastUser = text;
                }
            }
        }
        return new Conversation(lastUser, List.copyOf(trailingTools), Math.max(1, words), List.copyOf(roles),
                List.copyOf(userTexts));
    }

    /** Responses API {@code input} (a string or a list of items) plus {@code instructions}. */
    static Conversation ofResponses(JsonNode input, String instructions) {
        int words = countWords(instructions);
        if (input.isTextual()) {
            return new Conversation(input.asText(), List.of(), Math.max(1, words + countWords(input.asText())));
        }
        String lastUser = "";
        List<ToolResult> trailingTools = new ArrayList<>();
        for (JsonNode item : input) {
            String type = item.path("type").asText("message");
            if (type.equals("function_call_output")) {
                String output = item.path("output").isTextual() ? item.path("output").asText() : item.path("output").toString();
                words += countWords(output);
                trailingTools.add(new ToolResult(item.path("call_id").asText(""), output));
                continue;
            }
            String text = text(item.get("content"));
            words += countWords(text) + countWords(item.path("arguments").asText(""));
            trailingTools.clear();
            if (item.path("role").asText("").equals("user")) {
                lastUser = text;
            }
        }
        return new Conversation(lastUser, List.copyOf(trailingTools), Math.max(1, words));
    }

    /** Content is either a plain string or a list of parts ({@code text}, {@code input_text}, {@code output_text}...). */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                sb.append(sb.isEmpty() ? "" : " ").append(part.asText());
            } else if (part.hasNonNull("text")) {
                sb.append(sb.isEmpty() ? "" : " ").append(part.get("text").asText());
            }
        }
        return sb.toString();
    }

    static int countWords(String text) {
        if (text == null) {
            return 0;
        }
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }
}
