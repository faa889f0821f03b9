package dev.agentdock.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Responses API wire DTOs. {@code output_text} is an SDK convenience, not a wire field, so it is absent. */
final class ResponsesWire {

    private ResponsesWire() {
    }

    record Response(String id, String object, @JsonProperty("created_at") long createdAt, String status,
            Object error, @JsonProperty("incomplete_details") Object incompleteDetails, String instructions,
            String model, List<Object> output, @JsonProperty("parallel_tool_calls") boolean parallelToolCalls,
            @JsonProperty("previous_response_id") String previousResponseId,
            @JsonProperty("tool_choice") String toolChoice, List<Object> tools, Usage usage,
            Map<String, String> metadata) {

        Response with(String newStatus, List<Object> newOutput, Usage newUsage) {
            return new Response(id, object, createdAt, newStatus, error, incompleteDetails, instructions, model,
                    newOutput, parallelToolCalls, previousResponseId, toolChoice, tools, newUsage, metadata);
        }
    }

    record Message(String id, String type, String status, String role, List<OutputText> content) {}

    record OutputText(String type, String text, List<Object> annotations) {

        static OutputText of(String text) {
            return new OutputText("output_text", text, List.of());
        }
    }

    record FunctionCall(String id, String type, String status, String arguments,
            @JsonProperty("call_id") String callId, String name) {}

    record Usage(@JsonProperty("input_tokens") int inputTokens,
            @JsonProperty("input_tokens_details") Map<String, Integer> inputTokensDetails,
            @JsonProperty("output_tokens") int outputTokens,
            @JsonProperty("output_tokens_details") Map<String, Integer> outputTokensDetails,
            @JsonProperty("total_tokens") int totalTokens) {

        static Usage of(int input, int output) {
            return new Usage(input, Map.of("cached_tokens", 0), output, Map.of("reasoning_tokens", 0),
                    input + output);
        }
    }
}
