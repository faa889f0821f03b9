package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRepository;
import dev.agentdock.session.StepRole;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
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

    @Inject
    RedisDataSource redis;
    @Inject
    RunRepository runs;
    @Inject
    StepRepository steps;

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    /** Starts a slow turn in the background and returns once some text has streamed. */
    private CompletableFuture<List<Frame>> slowTurn(String user, String runId, List<Frame> seen, String onDisconnect) {
        CompletableFuture<List<Frame>> all = CompletableFuture.supplyAsync(() -> SseChatClient.frames(
                sse.api().chat("assistant", user, onDisconnect, null,
                        SseChatClient.body(Map.of("message", SLOW, "run_id", runId)))
                        .invoke(e -> seen.add(SseChatClient.decode(e)))));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 5);
        return all;
    }

    private void assertInterruptedKeepingPartialText(String runId, List<Frame> frames) {
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_cancelled");
        int lastSequence = last.event().get("last_sequence").asInt();
        assertThat(lastSequence).isEqualTo(2);
        AgentRun run = Fresh.run(UUID.fromString(runId));
        assertThat(run.status).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(run.completedAt).isNotNull();
        Step assistant = Fresh.step(run.sessionId, 2).orElseThrow();
        assertThat(assistant.role).isEqualTo(StepRole.ASSISTANT);
        assertThat(assistant.interrupted).isTrue();
        String streamed = frames.stream().filter(f -> f.type().equals("step_delta"))
                .map(f -> f.event().at("/delta/content").asText()).reduce("", String::concat);
        assertThat(assistant.content).isNotBlank().isEqualTo(streamed);
        assertThat(streamed.split(" ").length).isLessThan(400);
    }

    @Test
    void stopFromAnotherInstanceThroughRedisKeepsPartialText() throws Exception {
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> turn = slowTurn(user(), runId, seen, null);

        // exactly what a peer instance's RunSignals does: set the flag, publish on the control channel
        redis.value(String.class).setex(RunSignals.flagKey(UUID.fromString(runId)), 60, "stopped on instance B");
        redis.pubsub(String.class).publish(RunSignals.CONTROL_CHANNEL, "stop " + runId + " stopped on instance B");

        List<Frame> frames = turn.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertInterruptedKeepingPartialText(runId, frames);
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
        assertInterruptedKeepingPartialText(runId, turn.get(20, java.util.concurrent.TimeUnit.SECONDS));

        given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("session_id", session))
                .post("/api/agents/assistant/stop").then().statusCode(409);
        given().contentType(ContentType.JSON).header("X-User-Id", "intruder").body(Map.of("session_id", session))
                .post("/api/agents/assistant/stop").then().statusCode(404);
    }

    @Test
    void aRunStoppedBeforeItStartedEndsAtOnce() {
        String user = user();
        String runId = UUID.randomUUID().toString();
        String session = SseChatClient.frames(sse.api().chat("assistant", user, null, null,
                SseChatClient.body(Map.of("message", "hello")))).getLast().event().get("session_id").asText();

        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("session_id", session, "run_id", runId)).post("/api/agents/assistant/stop")
                .then().statusCode(202);
        List<Frame> frames = sse.chat("assistant", user, Map.of("session_id", session, "message", SLOW, "run_id", runId));
        assertThat(frames.getLast().type()).isEqualTo("run_cancelled");
        assertThat(frames.stream().filter(f -> f.type().equals("step_delta"))).isEmpty();
        assertThat(Fresh.run(UUID.fromString(runId)).status).isEqualTo(RunStatus.INTERRUPTED);
    }

    @Test
    void aClientDisconnectStopsTheRun() {
        String runId = UUID.randomUUID().toString();
        List<Frame> firstFrames = SseChatClient.decoded(sse.api().chat("assistant", user(), null, null,
                        SseChatClient.body(Map.of("message", SLOW, "run_id", runId))))
                .select().first(8).collect().asList().await().atMost(Duration.ofSeconds(20));
        assertThat(firstFrames).hasSize(8);

        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> {
            AgentRun run = Fresh.run(UUID.fromString(runId));
            return run != null && run.status == RunStatus.INTERRUPTED;
        });
        AgentRun run = Fresh.run(UUID.fromString(runId));
        assertThat(run.error).contains("client disconnected");
        Step assistant = Fresh.step(run.sessionId, 2).orElseThrow();
        assertThat(assistant.interrupted).isTrue();
        assertThat(assistant.content).isNotBlank();
    }

    @Test
    void aClientDisconnectWithContinueLetsTheRunFinish() {
        String runId = UUID.randomUUID().toString();
        SseChatClient.decoded(sse.api().chat("assistant", user(), "continue", null,
                        SseChatClient.body(Map.of("message", "a shorter story [[slow:20]] [[tokens:40]]", "run_id", runId))))
                .select().first(4).collect().asList().await().atMost(Duration.ofSeconds(20));

        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> {
            AgentRun run = Fresh.run(UUID.fromString(runId));
            return run != null && run.status == RunStatus.COMPLETED;
        });
        AgentRun run = Fresh.run(UUID.fromString(runId));
        Step assistant = Fresh.step(run.sessionId, 2).orElseThrow();
        assertThat(assistant.interrupted).isFalse();
        assertThat(assistant.outputTokens).isEqualTo(40);
    }
}
