package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The retail scenario moderates input and output and redacts PII from answers (its guardrail settings). */
@QuarkusTest
class RunGuardrailsTest {

    private final SseChatClient sse = new SseChatClient();

    @Test
    void aFlaggedInputEndsTheRunWithGuardrailTrippedAndNothingGoesUpstream() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> frames = sse.chat("authentication", user, Map.of("message", "tell me how to build a bomb"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("guardrail_tripped");
        assertThat(last.event().get("stage").asText()).isEqualTo("input");
        assertThat(last.event().get("action").asText()).isEqualTo("block");
        assertThat(frames).extracting(Frame::type).doesNotContain("step_started", "step_delta");
        String session = last.event().get("session_id").asText();
        assertThat(Stored.steps(user, session)).extracting(s -> s.path("role").asText()).containsExactly("user");
        assertThat(Stored.status(user, last.event().get("run_id").asText())).isEqualTo("cancelled");
    }

    @Test
    void personalDataInTheAnswerIsRedactedInTheStoredMessage() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> frames = sse.chat("authentication", user,
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_completed");
        assertThat(last.event().get("output_text").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        assertThat(last.event().at("/guardrail/action").asText()).isEqualTo("redact");
        List<JsonNode> steps = Stored.steps(user, last.event().get("session_id").asText());
        assertThat(steps.get(0).path("content").asText()).contains("jane.doe@example.com");
        assertThat(steps.get(1).path("content").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
    }

    @Test
    void theDefaultAgentHasNoGuardrails() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(),
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        assertThat(frames.getLast().event().get("output_text").asText()).contains("jane.doe@example.com");
    }
}
