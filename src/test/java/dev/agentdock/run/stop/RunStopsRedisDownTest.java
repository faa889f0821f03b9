package dev.agentdock.run.stop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.common.CapturedLogs;
import dev.agentdock.faults.OwnRedis;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.Stored;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * With Redis gone (a redis-server of this test's own, killed), a stop still stops a run that executes here and says
 * that it reached no other instance; a stop that would need Redis to reach its run is refused (503), not lost.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnRedis.class, restrictToAnnotatedClass = true)
class RunStopsRedisDownTest {

    private static final String SLOW = "tell me a long story [[slow:40]] [[tokens:400]]";

    private final SseChatClient sse = new SseChatClient();

    @Test
    void aStopWithRedisDownStopsTheRunHereAndSaysItReachedNoOtherInstance() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> turn = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("message", SLOW, "run_id", runId), null, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 3);
        String session = seen.getFirst().event().get("session_id").asText();
        CapturedLogs logs = CapturedLogs.install();
        OwnRedis.server().kill();
        try {
            given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("session_id", session))
                    .post("/api/agents/assistant/stop").then().statusCode(202)
                    .body("run_id", Matchers.equalTo(runId))
                    .body("stop_requested", Matchers.equalTo(true))
                    .body("reach", Matchers.equalTo("this_instance"));

            List<Frame> frames = turn.get(20, TimeUnit.SECONDS);
            assertThat(frames.getLast().type()).isEqualTo("run_cancelled");
            assertThat(frames.getLast().event().get("status").asText()).isEqualTo("interrupted");
            assertThat(frames.getLast().event().get("reason").asText()).isEqualTo("stopped by the user");
            assertThat(String.join("\n", logs.warnings())).contains("run " + runId + " stopped (stopped by the user) "
                    + "on this instance only");

            // a run this instance does not execute could only be reached through Redis
            given().contentType(ContentType.JSON).header("X-User-Id", user)
                    .body(Map.of("session_id", session, "run_id", UUID.randomUUID().toString()))
                    .post("/api/agents/assistant/stop").then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("detail", Matchers.containsString("Redis is unavailable"));
        } finally {
            logs.uninstall();
            OwnRedis.server().startAgain();
        }
    }

    @Test
    void aClientHangUpWithRedisDownStillStopsTheRun() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        OwnRedis.server().kill();
        try {
            List<Frame> first = sse.firstFrames("assistant", user, Map.of("message", SLOW, "run_id", runId), null, 5);
            assertThat(first).hasSize(5);
            await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> Stored.findRun(user, runId)
                    .map(run -> run.path("status").asText().equals("interrupted")).orElse(false));
            JsonNode run = Stored.run(user, runId);
            assertThat(Stored.text(run, "error")).isEqualTo("client disconnected");
        } finally {
            OwnRedis.server().startAgain();
        }
    }
}
