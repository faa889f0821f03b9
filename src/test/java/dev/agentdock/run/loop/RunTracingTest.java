package dev.agentdock.run.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.TelemetryProfile;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With tracing on, a run is one invoke_agent span whose children are its model calls and its tool calls. */
@QuarkusTest
@TestProfile(TelemetryProfile.class)
class RunTracingTest {

    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("agentdock.run_id");

    @Inject
    InMemorySpanExporter exporter;

    private final SseChatClient sse = new SseChatClient();

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private static Long longAttr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.longKey(key));
    }

    private Optional<SpanData> runSpan(String runId) {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> "invoke_agent".equals(s.getAttributes().get(OPERATION)))
                .filter(s -> runId.equals(s.getAttributes().get(RUN_ID)))
                .findFirst();
    }

    private List<SpanData> childrenOf(SpanData parent) {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
    }

    @Test
    void aTurnWithAToolCallIsARunSpanWithTwoChatSpansAndAToolSpan() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> frames = sse.chat("assistant", user, Map.of("message", "trace it [[tool:echo {\"text\":\"traced\"}]]"));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        String runId = frames.getFirst().event().get("run_id").asText();
        String sessionId = frames.getFirst().event().get("session_id").asText();
        String callId = frames.stream().filter(f -> f.type().equals("tool_call_started")).findFirst().orElseThrow()
                .event().get("tool_call_id").asText();

        SpanData run = await().atMost(Duration.ofSeconds(10)).until(() -> runSpan(runId), Optional::isPresent).get();
        assertThat(run.getName()).isEqualTo("invoke_agent assistant");
        assertThat(attr(run, "gen_ai.agent.name")).isEqualTo("assistant");
        assertThat(attr(run, "gen_ai.conversation.id")).isEqualTo(sessionId);
        assertThat(attr(run, "agentdock.session_id")).isEqualTo(sessionId);
        assertThat(attr(run, "agentdock.run.status")).isEqualTo("completed");
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        // the run continues the trace of the request that started it
        SpanData request = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(run.getParentSpanId())).findFirst().orElseThrow();
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getName()).contains("/api/agents/{agent}/chat");

        await().atMost(Duration.ofSeconds(5)).until(() -> childrenOf(run).size() >= 3);
        List<SpanData> chats = childrenOf(run).stream().filter(s -> "chat".equals(s.getAttributes().get(OPERATION)))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        assertThat(chats).hasSize(2);
        for (SpanData chat : chats) {
            assertThat(chat.getName()).isEqualTo("chat gpt-4o-mini");
            assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(attr(chat, "gen_ai.provider.name")).isEqualTo("openai");
            assertThat(attr(chat, "gen_ai.system")).isEqualTo("openai");
            assertThat(attr(chat, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
            assertThat(attr(chat, "gen_ai.response.model")).isNotBlank();
            assertThat(longAttr(chat, "gen_ai.usage.input_tokens")).isPositive();
            assertThat(longAttr(chat, "gen_ai.usage.output_tokens")).isPositive();
            // the chat span is the model call's one CLIENT span: the transport adds no HTTP span of its own
            assertThat(childrenOf(chat)).isEmpty();
        }
        assertThat(chats.get(0).getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("tool_calls");
        assertThat(chats.get(1).getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("stop");

        List<SpanData> tools = childrenOf(run).stream()
                .filter(s -> "execute_tool".equals(s.getAttributes().get(OPERATION))).toList();
        assertThat(tools).hasSize(1);
        SpanData tool = tools.getFirst();
        assertThat(tool.getName()).isEqualTo("execute_tool echo");
        assertThat(attr(tool, "gen_ai.tool.name")).isEqualTo("echo");
        assertThat(attr(tool, "gen_ai.tool.call.id")).isEqualTo(callId);
        assertThat(attr(tool, "agentdock.run_id")).isEqualTo(runId);
        assertThat(tool.getStartEpochNanos()).isGreaterThan(chats.get(0).getEndEpochNanos());

        // nothing else (a library's own model listeners, say) reports these model calls a second time
        assertThat(exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(run.getTraceId()))
                .filter(s -> s.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().startsWith("gen_ai.")))
                .filter(s -> !s.getParentSpanId().equals(run.getSpanId()) && !s.getSpanId().equals(run.getSpanId())))
                .isEmpty();
    }

    @Test
    void aFailedModelCallMarksItsSpanAndTheRunSpanAsErrors() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(), Map.of("message", "fail [[fail:500]]"));
        assertThat(frames.getLast().type()).isEqualTo("run_failed");
        String runId = frames.getFirst().event().get("run_id").asText();

        SpanData run = await().atMost(Duration.ofSeconds(10)).until(() -> runSpan(runId), Optional::isPresent).get();
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(run, "agentdock.run.status")).isEqualTo("error");
        SpanData chat = childrenOf(run).stream().filter(s -> "chat".equals(s.getAttributes().get(OPERATION)))
                .findFirst().orElseThrow();
        assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(chat, "error.type")).isEqualTo("500");
    }
}
