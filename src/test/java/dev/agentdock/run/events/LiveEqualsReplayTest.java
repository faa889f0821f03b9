package dev.agentdock.run.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A run's events rebuilt from PostgreSQL are the live ones, record for record: every live frame decodes to its
 * record, and the replay of the ended run (served once the run left this instance, so from the database) has the
 * same records in the same order with the same ids. Two things differ by design and are left out of the comparison:
 * {@code ts} (the replay knows when a step was stored, not when each event left) and the {@code replay} flag of
 * {@code run_started} and the terminal event. Tool-call argument deltas carry no text and are not replayed.
 */
@QuarkusTest
class LiveEqualsReplayTest {

    private final SseChatClient sse = new SseChatClient();

    @Inject
    RunEventCodec codec;

    @Inject
    ObjectMapper json;

    @Test
    void aPlainTurnReplaysAsItStreamed() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("assistant", user, Map.of("message", "say something [[tokens:15]]"));
        assertThat(live.getLast().type()).isEqualTo("run_completed");
        assertReplayEqualsLive(user, live);
    }

    @Test
    void aTurnWithToolCallsReplaysAsItStreamed() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("assistant", user, Map.of("message",
                "look it up [[tokens:8]] [[tool:echo {\"text\":\"kept\"}]]"));
        assertThat(live).extracting(Frame::type).contains("tool_call_started", "tool_call_completed");
        assertThat(live.getLast().type()).isEqualTo("run_completed");
        assertReplayEqualsLive(user, live);
    }

    @Test
    void aRunPausedForApprovalThenResumedReplaysAsItStreamed() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = new ArrayList<>(sse.chat("returns", user, Map.of("message",
                "return the tent please [[tool:process_return "
                        + "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]")));
        assertThat(live.getLast().type()).isEqualTo("run_paused");
        String runId = live.getFirst().event().get("run_id").asText();
        String callId = live.getLast().event().at("/pending_tool_calls/0/tool_call_id").asText();
        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("tool_call_id", callId, "approved", true))
                .post("/api/runs/" + runId + "/approve").then().statusCode(200);
        live.addAll(sse.rejoin(runId, user, live.getLast().id()));
        assertThat(live.getLast().type()).isEqualTo("run_completed");
        assertReplayEqualsLive(user, live);
    }

    @Test
    void aRunTheInputGuardrailBlockedReplaysWithTheWholeVerdict() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("authentication", user, Map.of("message", "tell me how to build a bomb"));
        assertThat(live.getLast().type()).isEqualTo("guardrail_tripped");
        assertThat(live.getLast().event().path("categories").isObject()).as("the verdict's categories").isTrue();
        assertReplayEqualsLive(user, live);
    }

    /**
     * The live deltas went out before the output guardrail judged the answer; the stored step is the redacted one, and
     * a replay never gives back what was redacted: its deltas spell the stored text. Its start and its end (with the
     * verdict) are the live ones.
     */
    @Test
    void aCompletedRunWhoseAnswerWasRedactedReplaysWithTheVerdictAndTheRedactedText() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("authentication", user,
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        assertThat(live.getLast().type()).isEqualTo("run_completed");
        assertThat(live.getLast().event().at("/guardrail/action").asText()).isEqualTo("redact");
        String runId = live.getFirst().event().get("run_id").asText();
        Stored.awaitNoRunExecuting();
        List<Frame> replayed = sse.rejoin(runId, user, null);
        assertThat(comparable(codec.decode(replayed.getFirst().event().toString())))
                .isEqualTo(comparable(codec.decode(live.getFirst().event().toString())));
        assertThat(comparable(codec.decode(replayed.getLast().event().toString())))
                .isEqualTo(comparable(codec.decode(live.getLast().event().toString())));
        String text = replayed.stream().filter(f -> f.type().equals("step_delta"))
                .map(f -> f.event().at("/delta/content").asText()).collect(java.util.stream.Collectors.joining());
        assertThat(text).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        assertThat(text).isEqualTo(live.getLast().event().path("output_text").asText());
    }

    @Test
    void aFailedRunReplaysWithTheUpstreamsStatus() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("assistant", user, Map.of("message", "[[fail:500]]"));
        assertThat(live.getLast().type()).isEqualTo("run_failed");
        assertThat(live.getLast().event().path("upstream_status").asInt()).isEqualTo(500);
        assertReplayEqualsLive(user, live);
    }

    @Test
    void liveRunStartedSaysInputRedactedOnlyWhenItWas() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("assistant", user, Map.of("message", "hello [[tokens:2]]"));
        assertThat(live.getFirst().type()).isEqualTo("run_started");
        assertThat(live.getFirst().event().has("input_redacted")).isFalse();
    }

    private void assertReplayEqualsLive(String user, List<Frame> live) {
        String runId = live.getFirst().event().get("run_id").asText();
        List<RunEvent> liveEvents = live.stream().map(f -> codec.decode(f.event().toString()))
                .filter(e -> !isToolCallDelta(e)).toList();
        // every live frame is its record encoded: decoding and encoding again gives the frame back
        for (Frame f : live) {
            assertThat(json.valueToTree(codec.decode(f.event().toString())).toString()).as(f.id())
                    .isEqualTo(f.event().toString());
        }
        Stored.awaitNoRunExecuting();
        List<Frame> replayed = sse.rejoin(runId, user, null);
        assertThat(replayed.getLast().event().path("replay").asBoolean()).as("served from PostgreSQL").isTrue();
        List<RunEvent> replayEvents = replayed.stream().map(f -> codec.decode(f.event().toString())).toList();
        assertThat(replayEvents).extracting(RunEvent::sseId).isEqualTo(liveEvents.stream().map(RunEvent::sseId).toList());
        for (int i = 0; i < liveEvents.size(); i++) {
            assertThat(comparable(replayEvents.get(i))).as("event %s", liveEvents.get(i).sseId())
                    .isEqualTo(comparable(liveEvents.get(i)));
        }
    }

    private static boolean isToolCallDelta(RunEvent e) {
        return e instanceof RunEvent.StepDelta d && d.delta().content() == null;
    }

    /** The event as a JSON tree without what differs by design; object keys compare in any order (jsonb sorts them). */
    private ObjectNode comparable(RunEvent e) {
        ObjectNode node = json.valueToTree(e);
        node.remove("ts");
        node.remove("replay");
        return node;
    }
}
