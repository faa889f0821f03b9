package dev.agentdock.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdock.common.LocalOpenAiEndpoint;
import dev.agentdock.common.ModelHttp;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Proves LangChain4j's stock OpenAI models (on the service's own transport, {@link ModelHttp}) understand the
 * simulator's wire format, streamed and not.
 */
@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorLangChain4jTest {

    static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
            .build();

    @Inject
    LocalOpenAiEndpoint endpoint;

    @Inject
    ModelHttp http;

    OpenAiStreamingChatModel streamingModel() {
        return OpenAiStreamingChatModel.builder().httpClientBuilder(http.pool(4)).baseUrl(endpoint.baseUrl()).apiKey("sim").modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10)).build();
    }

    record Streamed(ChatResponse response, String partials, List<CompleteToolCall> toolCalls) {}

    Streamed stream(ChatRequest request) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder partials = new StringBuilder();
        List<CompleteToolCall> toolCalls = new CopyOnWriteArrayList<>();
        streamingModel().chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                synchronized (partials) {
                    partials.append(partial);
                }
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall toolCall) {
                toolCalls.add(toolCall);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(15, TimeUnit.SECONDS);
        synchronized (partials) {
            return new Streamed(response, partials.toString(), toolCalls);
        }
    }

    @Test
    void streamedToolCallIsReassembledByLangChain4j() throws Exception {
        Streamed streamed = stream(ChatRequest.builder()
                .messages(UserMessage.from("What's the weather? [[tool:get_weather {\"city\":\"Paris\"}]]"))
                .toolSpecifications(WEATHER)
                .build());

        AiMessage ai = streamed.response().aiMessage();
        assertTrue(ai.hasToolExecutionRequests());
        assertEquals(1, ai.toolExecutionRequests().size());
        ToolExecutionRequest call = ai.toolExecutionRequests().getFirst();
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\":\"Paris\"}", call.arguments());
        assertTrue(call.id().startsWith("call_"));
        assertEquals(1, streamed.toolCalls().size());
        assertEquals("TOOL_EXECUTION", streamed.response().finishReason().name());
    }

    @Test
    void parallelToolCallsAndTheFollowUpRoundTrip() throws Exception {
        UserMessage user = UserMessage.from("Both cities [[tool:get_weather {\"city\":\"Oslo\"}]] "
                + "[[tool:get_weather {\"city\":\"Rome\"}]]");
        Streamed first = stream(ChatRequest.builder().messages(user).toolSpecifications(WEATHER).build());
        List<ToolExecutionRequest> calls = first.response().aiMessage().toolExecutionRequests();
        assertEquals(2, calls.size());
        assertEquals("{\"city\":\"Oslo\"}", calls.get(0).arguments());
        assertEquals("{\"city\":\"Rome\"}", calls.get(1).arguments());

        Streamed second = stream(ChatRequest.builder()
                .messages(user, first.response().aiMessage(),
                        ToolExecutionResultMessage.from(calls.get(0), "cold"),
                        ToolExecutionResultMessage.from(calls.get(1), "warm"))
                .toolSpecifications(WEATHER)
                .build());
        assertFalse(second.response().aiMessage().hasToolExecutionRequests());
        assertTrue(second.response().aiMessage().text().startsWith("Tool results: get_weather=cold; get_weather=warm."),
                second.response().aiMessage().text());
    }

    @Test
    void plainStreamedTextAndTokenUsageComeThrough() throws Exception {
        Streamed streamed = stream(ChatRequest.builder()
                .messages(UserMessage.from("Hello from LangChain4j [[tokens:12]]"))
                .build());

        String text = streamed.response().aiMessage().text();
        assertTrue(text.startsWith("Echo: Hello from LangChain4j"), text);
        assertEquals(text, streamed.partials());
        assertEquals(12, text.split(" ").length);
        assertEquals(12, streamed.response().tokenUsage().outputTokenCount());
        assertEquals(4, streamed.response().tokenUsage().inputTokenCount());
        assertEquals(16, streamed.response().tokenUsage().totalTokenCount());
        assertEquals("STOP", streamed.response().finishReason().name());
    }

    @Test
    void blockingChatModelParsesTheNonStreamedReply() {
        ChatModel model = OpenAiChatModel.builder().httpClientBuilder(http.pool(4)).baseUrl(endpoint.baseUrl()).apiKey("sim")
                .modelName("gpt-4o-mini").timeout(Duration.ofSeconds(10)).build();
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Blocking hello [[tokens:5]]")).build());

        assertTrue(response.aiMessage().text().startsWith("Echo: Blocking hello"), response.aiMessage().text());
        assertEquals(5, response.tokenUsage().outputTokenCount());
    }
}
