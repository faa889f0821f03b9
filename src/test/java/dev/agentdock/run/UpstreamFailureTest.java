package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRepository;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UpstreamFailureTest {

    private final SseChatClient sse = new SseChatClient();

    @Inject
    RunRepository runs;
    @Inject
    StepRepository steps;

    private List<Frame> turn(String message) {
        return sse.chat("assistant", "user-" + UUID.randomUUID(), Map.of("message", message));
    }

    private AgentRun runOf(List<Frame> frames) {
        return Fresh.run(UUID.fromString(frames.getFirst().event().get("run_id").asText()));
    }

    private Step assistantOf(AgentRun run) {
        return Fresh.step(run.sessionId, 2).orElseThrow();
    }

    private void assertFailed(List<Frame> frames, String reasonPart) {
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_failed");
        assertThat(last.event().get("error").asText()).containsIgnoringCase(reasonPart);
        AgentRun run = runOf(frames);
        assertThat(run.status).isEqualTo(RunStatus.ERROR);
        assertThat(run.error).containsIgnoringCase(reasonPart);
        assertThat(assistantOf(run).error).containsIgnoringCase(reasonPart);
    }

    @Test
    void a429IsRetriedAndThenReportedWithTheUpstreamStatus() {
        List<Frame> frames = turn("please [[fail:429]]");
        assertFailed(frames, "429");
        assertThat(frames.getLast().event().get("upstream_status").asInt()).isEqualTo(429);
    }

    @Test
    void a429BeforeTheFirstTokenIsRetriedWithBackoff() {
        List<Frame> frames = turn("once only [[fail:429-once]]");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        assertThat(frames.getLast().event().get("output_text").asText()).isNotBlank();
    }

    @Test
    void a500FailsTheRun() {
        List<Frame> frames = turn("[[fail:500]]");
        assertFailed(frames, "500");
        assertThat(frames.getLast().event().get("upstream_status").asInt()).isEqualTo(500);
    }

    @Test
    void aCutStreamKeepsThePartialText() {
        List<Frame> frames = turn("[[fail:cut]]");
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_failed");
        AgentRun run = runOf(frames);
        assertThat(run.status).isEqualTo(RunStatus.ERROR);
        Step assistant = assistantOf(run);
        assertThat(assistant.content).isNotBlank();
        assertThat(assistant.error).isNotBlank();
    }

    @Test
    void aMalformedChunkFailsTheRunKeepingThePartialText() {
        List<Frame> frames = turn("[[fail:malformed]]");
        assertThat(frames.getLast().type()).isEqualTo("run_failed");
        AgentRun run = runOf(frames);
        assertThat(run.status).isEqualTo(RunStatus.ERROR);
        assertThat(assistantOf(run).content).isNotBlank();
    }

    @Test
    void aStalledStreamTimesOut() {
        List<Frame> frames = turn("[[fail:stall]]");
        assertFailed(frames, "stalled");
        assertThat(assistantOf(runOf(frames)).content).isNotBlank();
    }
}
