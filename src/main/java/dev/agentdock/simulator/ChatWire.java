package dev.agentdock.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Chat Completions wire DTOs, field names exactly as OpenAI sends them. */
final class ChatWire {

    private ChatWire() {
    }

    static final String FINGERPRINT = "fp_simulator";

    record Completion(String id, String object, long created, String model,
            @JsonProperty("system_fingerprint") String systemFingerprint, List<Choice> choices, Usage usage) {}

    record Choice(int index, Message message, @JsonInclude(JsonInclude.Include.ALWAYS) Object logprobs,
                  @JsonProperty("finish_reason") @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason) {}

    /** {@code content} stays in the JSON as null next to tool calls, as OpenAI does. */
    record Message(String role, @JsonInclude(JsonInclude.Include.ALWAYS) String content,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("tool_calls") List<ToolCall> toolCalls,
            Object refusal) {}

    record ToolCall(String id, String type, Function function) {}

    record Function(String name, String arguments) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Chunk(String id, String object, long created, String model,
            @JsonProperty("system_fingerprint") String systemFingerprint, List<ChunkChoice> choices, Usage usage) {}

    // OpenAI writes these as explicit nulls; they must survive the application's non-null inclusion
    record ChunkChoice(int index, Delta delta, @JsonInclude(JsonInclude.Include.ALWAYS) Object logprobs,
                       @JsonProperty("finish_reason") @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content, @JsonProperty("tool_calls") List<ToolCallDelta> toolCalls) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolCallDelta(int index, String id, String type, FunctionDelta function) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunctionDelta(String name, String arguments) {}

    record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens,
            @JsonProperty("prompt_tokens_details") PromptDetails promptTokensDetails,
            @JsonProperty("completion_tokens_details") CompletionDetails completionTokensDetails) {

        static Usage of(int prompt, int completion) {
            return new Usage(prompt, completion, prompt + completion, new PromptDetails(0),
                    new CompletionDetails(0));
        }
    }

    record PromptDetails(@JsonProperty("cached_tokens") int cachedTokens) {}

    record CompletionDetails(@JsonProperty("reasoning_tokens") int reasoningTokens) {}
}
