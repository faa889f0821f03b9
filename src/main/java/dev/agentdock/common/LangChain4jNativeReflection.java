package dev.agentdock.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * LangChain4j's OpenAI wire types, which its own Jackson mapper writes and reads (with their nested builders) for
 * every chat and moderation call: without quarkus-langchain4j (ADR 9) nobody else registers them for a native image.
 */
@RegisterForReflection(ignoreNested = false, classNames = {
        "dev.langchain4j.model.openai.internal.chat.AssistantMessage",
        "dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice",
        "dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest",
        "dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse",
        "dev.langchain4j.model.openai.internal.chat.Content",
        "dev.langchain4j.model.openai.internal.chat.ContentType",
        "dev.langchain4j.model.openai.internal.chat.Delta",
        "dev.langchain4j.model.openai.internal.chat.Function",
        "dev.langchain4j.model.openai.internal.chat.FunctionCall",
        "dev.langchain4j.model.openai.internal.chat.FunctionMessage",
        "dev.langchain4j.model.openai.internal.chat.ImageDetail",
        "dev.langchain4j.model.openai.internal.chat.ImageUrl",
        "dev.langchain4j.model.openai.internal.chat.InputAudio",
        "dev.langchain4j.model.openai.internal.chat.JsonSchema",
        "dev.langchain4j.model.openai.internal.chat.LogProb",
        "dev.langchain4j.model.openai.internal.chat.LogProbs",
        "dev.langchain4j.model.openai.internal.chat.Message",
        "dev.langchain4j.model.openai.internal.chat.PdfFile",
        "dev.langchain4j.model.openai.internal.chat.ResponseFormat",
        "dev.langchain4j.model.openai.internal.chat.ResponseFormatType",
        "dev.langchain4j.model.openai.internal.chat.Role",
        "dev.langchain4j.model.openai.internal.chat.SystemMessage",
        "dev.langchain4j.model.openai.internal.chat.Tool",
        "dev.langchain4j.model.openai.internal.chat.ToolCall",
        "dev.langchain4j.model.openai.internal.chat.ToolChoice",
        "dev.langchain4j.model.openai.internal.chat.ToolChoiceMode",
        "dev.langchain4j.model.openai.internal.chat.ToolMessage",
        "dev.langchain4j.model.openai.internal.chat.ToolType",
        "dev.langchain4j.model.openai.internal.chat.UserMessage",
        "dev.langchain4j.model.openai.internal.chat.VideoUrl",
        "dev.langchain4j.model.openai.internal.moderation.Categories",
        "dev.langchain4j.model.openai.internal.moderation.CategoryScores",
        "dev.langchain4j.model.openai.internal.moderation.ModerationRequest",
        "dev.langchain4j.model.openai.internal.moderation.ModerationResponse",
        "dev.langchain4j.model.openai.internal.moderation.ModerationResult",
        "dev.langchain4j.model.openai.internal.shared.CompletionTokensDetails",
        "dev.langchain4j.model.openai.internal.shared.PromptTokensDetails",
        "dev.langchain4j.model.openai.internal.shared.StreamOptions",
        "dev.langchain4j.model.openai.internal.shared.Usage",
})
final class LangChain4jNativeReflection {

    private LangChain4jNativeReflection() {
    }
}
