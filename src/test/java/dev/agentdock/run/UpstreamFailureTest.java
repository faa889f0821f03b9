package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UpstreamFailureTest {

    private final SseChatClient sse = new SseChatClient();

    /** A turn's frames, and who asked for it (the one who may read what it stored). */
    private record Turn(String user, List<Frame> frames) {
        Frame last() {
            return frames.getLast();
        }

        JsonNode run() {
            return Stored.run(user, frames.getFirst().event().get("run_id").asText());
        }

        JsonNode assistant() {
            return Stored.step(user, run().path("session_id").asText(), 2);
        }
    }

    private Turn turn(String message) {
        String user = "user-" + UUID.randomUUID();
        return new Turn(user, sse.chat("assistant", user, Map.of("message", message)));
    }

    private void assertFailed(Turn turn, String reasonPart) {
        Frame last = turn.last();
        assertThat(last.type()).isEqualTo("run_failed");
        assertThat(last.event().get("error").asText()).containsIgnoringCase(reasonPart);
        JsonNode run = turn.run();
        assertThat(run.path("status").asText()).isEqualTo("error");
        assertThat(Stored.text(run, "error")).containsIgnoringCase(reasonPart);
        assertThat(Stored.text(turn.assistant(), "error")).containsIgnoringCase(reasonPart);
    }

    @Test
    void a429IsRetriedAndThenReportedWithTheUpstreamStatus() {
        Turn turn = turn("please [[fail:429]]");
        assertFailed(turn, "429");
        assertThat(turn.last().event().get("upstream_status").asInt()).isEqualTo(429);
    }

    @Test
    void a429BeforeTheFirstTokenIsRetriedWithBackoff() {
        Turn turn = turn("once only [[fail:429-once]]");
        assertThat(turn.last().type()).isEqualTo("run_completed");
        assertThat(turn.last().event().get("output_text").asText()).isNotBlank();
    }

    @Test
    void a500FailsTheRun() {
        Turn turn = turn("[[fail:500]]");
        assertFailed(turn, "500");
        assertThat(turn.last().event().get("upstream_status").asInt()).isEqualTo(500);
    }

    @Test
    void aCutStreamKeepsThePartialText() {
        Turn turn = turn("[[fail:cut]]");
        assertThat(turn.last().type()).isEqualTo("run_failed");
        assertThat(turn.run().path("status").asText()).isEqualTo("error");
        JsonNode assistant = turn.assistant();
        assertThat(Stored.text(assistant, "content")).isNotBlank();
        assertThat(Stored.text(assistant, "error")).isNotBlank();
    }

    @Test
    void aMalformedChunkFailsTheRunKeepingThePartialText() {
        Turn turn = turn("[[fail:malformed]]");
        assertThat(turn.last().type()).isEqualTo("run_failed");
        assertThat(turn.run().path("status").asText()).isEqualTo("error");
        assertThat(Stored.text(turn.assistant(), "content")).isNotBlank();
    }

    @Test
    void aStalledStreamTimesOut() {
        Turn turn = turn("[[fail:stall]]");
        assertFailed(turn, "stalled");
        assertThat(Stored.text(turn.assistant(), "content")).isNotBlank();
    }
}
