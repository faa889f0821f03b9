package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
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
        List<Frame> frames = sse.chat("authentication", "user-" + UUID.randomUUID(),
                Map.of("message", "tell me how to build a bomb"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("guardrail_tripped");
        assertThat(last.event().get("stage").asText()).isEqualTo("input");
        assertThat(last.event().get("action").asText()).isEqualTo("block");
        assertThat(frames).extracting(Frame::type).doesNotContain("step_started", "step_delta");
        UUID session = UUID.fromString(last.event().get("session_id").asText());
        assertThat(Fresh.steps(session)).extracting(s -> s.role.wire()).containsExactly("user");
        assertThat(Fresh.run(last.event().get("run_id").asText()).status).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void personalDataInTheAnswerIsRedactedInTheStoredMessage() {
        List<Frame> frames = sse.chat("authentication", "user-" + UUID.randomUUID(),
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_completed");
        assertThat(last.event().get("output_text").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        assertThat(last.event().at("/guardrail/action").asText()).isEqualTo("redact");
        UUID session = UUID.fromString(last.event().get("session_id").asText());
        List<Step> steps = Fresh.steps(session);
        assertThat(steps.get(0).content).contains("jane.doe@example.com");
        assertThat(steps.get(1).content).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
    }

    @Test
    void theDefaultAgentHasNoGuardrails() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(),
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        assertThat(frames.getLast().event().get("output_text").asText()).contains("jane.doe@example.com");
    }
}
