package dev.agentdock.run.stop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.agentdock.RedisPeer;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunInterruptionTest {

    private static final String SLOW = "tell me a long story [[slow:40]] [[tokens:400]]";

    private final SseChatClient sse = new SseChatClient();

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    /** Starts a slow turn in the background and returns once some text has streamed. */
    private CompletableFuture<List<Frame>> slowTurn(String user, String runId, List<Frame> seen, String onDisconnect) {
        CompletableFuture<List<Frame>> all = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("message", SLOW, "run_id", runId), onDisconnect, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 5);
        return all;
    }

    /** The run once it exists and has that status. */
    private static JsonNode awaitRun(String user, String runId, String status) {
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> Stored.findRun(user, runId)
                .map(run -> run.path("status").asText().equals(status)).orElse(false));
        return Stored.run(user, runId);
    }

    private void assertInterruptedKeepingPartialText(String user, String runId, List<Frame> frames) {
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_cancelled");
        int lastSequence = last.event().get("last_sequence").asInt();
        assertThat(lastSequence).isEqualTo(2);
        JsonNode run = Stored.run(user, runId);
        assertThat(run.path("status").asText()).isEqualTo("interrupted");
        assertThat(Stored.text(run, "completed_at")).isNotBlank();
        JsonNode assistant = Stored.step(user, run.path("session_id").asText(), 2);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("interrupted").asBoolean()).isTrue();
        String streamed = frames.stream().filter(f -> f.type().equals("step_delta"))
                .map(f -> f.event().at("/delta/content").asText()).reduce("", String::concat);
        assertThat(Stored.text(assistant, "content")).isNotBlank().isEqualTo(streamed);
        assertThat(streamed.split(" ").length).isLessThan(400);
    }

    @Test
    void stopFromAnotherInstanceThroughRedisKeepsPartialText() throws Exception {
        String user = user();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> turn = slowTurn(user, runId, seen, null);

        String sessionId = seen.getFirst().event().get("session_id").asText();
        // exactly what a peer instance's RunStops does: set the flag, publish on the control channel
        RedisPeer.setex(RunStops.flagKey(user, UUID.fromString(sessionId), UUID.fromString(runId)), 60, "stopped on instance B");
        RedisPeer.publish(RunStops.CONTROL_CHANNEL, RunStops.stopMessage(UUID.fromString(runId),
                UUID.fromString(sessionId), "stopped on instance B"));

        List<Frame> frames = turn.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertInterruptedKeepingPartialText(user, runId, frames);
        assertThat(frames.getLast().event().get("reason").asText()).isEqualTo("stopped on instance B");
    }

    @Test
    void stopEndpointStopsTheActiveRunOfTheSession() throws Exception {
        String user = user();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> turn = slowTurn(user, runId, seen, null);
        String session = seen.getFirst().event().get("session_id").asText();

        given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("session_id", session))
                .post("/api/agents/assistant/stop").then().statusCode(202)
                .body("run_id", org.hamcrest.Matchers.equalTo(runId));
        assertInterruptedKeepingPartialText(user, runId, turn.get(20, java.util.concurrent.TimeUnit.SECONDS));

        given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("session_id", session))
                .post("/api/agents/assistant/stop").then().statusCode(409);
        given().contentType(ContentType.JSON).header("X-User-Id", "intruder").body(Map.of("session_id", session))
                .post("/api/agents/assistant/stop").then().statusCode(404);
    }

    /** Issue 15: a stop naming a run that had already finished was answered 202 "stop requested". */
    @Test
    void aStopNamingARunThatAlreadyEndedIsAConflictAndChangesNothing() {
        String user = user();
        List<Frame> frames = sse.chat("assistant", user, Map.of("message", "hello"));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        String session = frames.getLast().event().get("session_id").asText();
        String runId = frames.getLast().event().get("run_id").asText();

        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("session_id", session, "run_id", runId)).post("/api/agents/assistant/stop")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("run-finished"))
                .body("detail", org.hamcrest.Matchers.containsString("completed"));
        assertThat(Stored.status(user, runId)).isEqualTo("completed");
        // the session is not left with a stop flag for that id: its next turn runs to its end
        assertThat(sse.chat("assistant", user, Map.of("session_id", session, "message", "again")).getLast().type())
                .isEqualTo("run_completed");
    }

    @Test
    void aRunIdIsScopedToItsSession() {
        String owner = user();
        String intruder = user();
        String ownSession = sse.chat("assistant", owner, Map.of("message", "hello")).getLast().event().get("session_id").asText();
        String intruderSession = sse.chat("assistant", intruder, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        String pickedLater = UUID.randomUUID().toString();

        // the intruder pre-stops an id in its own session: the owner's run with that id later runs to its end
        given().contentType(ContentType.JSON).header("X-User-Id", intruder)
                .body(Map.of("session_id", intruderSession, "run_id", pickedLater)).post("/api/agents/assistant/stop")
                .then().statusCode(202);
        List<Frame> frames = sse.chat("assistant", owner, Map.of("session_id", ownSession, "message", "tell me",
                "run_id", pickedLater));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");

        // a stop naming somebody else's run is answered as an unknown id is (202), and leaves that run alone
        String unknown = UUID.randomUUID().toString();
        String forUnknown = given().contentType(ContentType.JSON).header("X-User-Id", intruder)
                .body(Map.of("session_id", intruderSession, "run_id", unknown)).post("/api/agents/assistant/stop")
                .then().statusCode(202).extract().asString();
        String forOthers = given().contentType(ContentType.JSON).header("X-User-Id", intruder)
                .body(Map.of("session_id", intruderSession, "run_id", pickedLater)).post("/api/agents/assistant/stop")
                .then().statusCode(202).extract().asString();
        assertThat(forOthers.replace(pickedLater, "ID")).isEqualTo(forUnknown.replace(unknown, "ID"));
        assertThat(Stored.status(owner, pickedLater)).isEqualTo("completed");
    }

    @Test
    void aRunStoppedBeforeItStartedEndsAtOnce() {
        String user = user();
        String runId = UUID.randomUUID().toString();
        String session = sse.chat("assistant", user, Map.of("message", "hello")).getLast().event().get("session_id").asText();

        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("session_id", session, "run_id", runId)).post("/api/agents/assistant/stop")
                .then().statusCode(202);
        List<Frame> frames = sse.chat("assistant", user, Map.of("session_id", session, "message", SLOW, "run_id", runId));
        assertThat(frames.getLast().type()).isEqualTo("run_cancelled");
        assertThat(frames.stream().filter(f -> f.type().equals("step_delta"))).isEmpty();
        assertThat(Stored.status(user, runId)).isEqualTo("interrupted");
    }

    @Test
    void aClientDisconnectStopsTheRun() {
        String user = user();
        String runId = UUID.randomUUID().toString();
        List<Frame> firstFrames = sse.firstFrames("assistant", user, Map.of("message", SLOW, "run_id", runId), null, 8);
        assertThat(firstFrames).hasSize(8);

        JsonNode run = awaitRun(user, runId, "interrupted");
        String sessionId = run.path("session_id").asText();
        assertThat(Stored.text(run, "error")).contains("client disconnected");
        JsonNode assistant = Stored.step(user, run.path("session_id").asText(), 2);
        assertThat(assistant.path("interrupted").asBoolean()).isTrue();
        assertThat(Stored.text(assistant, "content")).isNotBlank();
        // the stop is cross-instance too: a peer (one resuming the run after an approval, say) reads the flag
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() ->
                "client disconnected".equals(RedisPeer.command("GET", RunStops.flagKey(user, UUID.fromString(sessionId), UUID.fromString(runId)))));
    }

    @Test
    @dev.agentdock.InProcessOnly
    void aClientHangUpSetsTheCrossInstanceStopWithoutBlockingTheEventLoopAndWithoutAWarning() {
        dev.agentdock.common.CapturedLogs logs = dev.agentdock.common.CapturedLogs.install();
        try (RedisPeer.Listener peer = RedisPeer.subscribe(RunStops.CONTROL_CHANNEL)) {
            String user = user();
            String runId = UUID.randomUUID().toString();
            sse.firstFrames("assistant", user, Map.of("message", SLOW, "run_id", runId), null, 5);
            String sessionId = awaitRun(user, runId, "interrupted").path("session_id").asText();
            // a peer instance sees the stop: the flag it reads when it resumes the run, the end its waiters hear
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> "client disconnected".equals(
                    RedisPeer.command("GET", RunStops.flagKey(user, UUID.fromString(sessionId), UUID.fromString(runId)))));
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.messages()
                    .contains(RunStops.endedMessage(UUID.fromString(runId), dev.agentdock.session.RunStatus.INTERRUPTED)));
            assertThat(logs.all()).doesNotContain("cannot be blocked");
            assertThat(logs.warnings()).noneMatch(line -> line.contains(runId) || line.contains("Redis"));
        } finally {
            logs.uninstall();
        }
    }

    @Test
    void aClientDisconnectWithContinueLetsTheRunFinish() {
        String user = user();
        String runId = UUID.randomUUID().toString();
        sse.firstFrames("assistant", user, Map.of("message", "a shorter story [[slow:20]] [[tokens:40]]", "run_id", runId),
                "continue", 4);

        JsonNode run = awaitRun(user, runId, "completed");
        JsonNode assistant = Stored.step(user, run.path("session_id").asText(), 2);
        assertThat(assistant.get("interrupted")).isEqualTo(BooleanNode.FALSE);
        assertThat(assistant.at("/metrics/output_tokens").asInt()).isEqualTo(40);
    }
}
