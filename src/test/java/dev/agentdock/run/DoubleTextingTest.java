package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DoubleTextingTest {

    private static final String SLOW = "a slow one [[slow:40]] [[tokens:300]]";
    private final SseChatClient sse = new SseChatClient();

    private record Active(String user, String session, String runId, CompletableFuture<List<Frame>> frames) {
    }

    /** A session with a first completed turn and a second, slow turn streaming. */
    private Active activeRun() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> frames = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("session_id", session, "message", SLOW, "run_id", runId), null, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 3);
        return new Active(user, session, runId, frames);
    }

    private static String status(Active a, String runId) {
        return Stored.status(a.user(), runId);
    }

    private static List<JsonNode> steps(Active a) {
        return Stored.steps(a.user(), a.session());
    }

    @Test
    void aSecondMessageWhileARunIsActiveIsRejectedByDefault() throws Exception {
        Active a = activeRun();
        given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", a.user())
                .body(Map.of("session_id", a.session(), "message", "me again")).post("/api/agents/assistant/chat")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString(a.runId()));
        given().contentType(ContentType.JSON).header("X-User-Id", a.user()).body(Map.of("session_id", a.session()))
                .post("/api/agents/assistant/stop").then().statusCode(202);
        a.frames().get(20, TimeUnit.SECONDS);
    }

    @Test
    void interruptStopsTheActiveRunKeepingItsPartialThenRunsTheNewMessage() throws Exception {
        Active a = activeRun();
        List<Frame> second = sse.chat("assistant", a.user(), Map.of("session_id", a.session(), "message", "new topic"),
                null, "interrupt");
        assertThat(second.getLast().type()).isEqualTo("run_completed");
        assertThat(a.frames().get(20, TimeUnit.SECONDS).getLast().type()).isEqualTo("run_cancelled");
        assertThat(status(a, a.runId())).isEqualTo("interrupted");
        assertThat(steps(a)).extracting(s -> s.path("role").asText() + (s.path("interrupted").asBoolean() ? "!" : ""))
                .containsExactly("user", "assistant", "user", "assistant!", "user", "assistant");
    }

    @Test
    void rollbackStopsTheActiveRunAndDeletesWhatItWrote() throws Exception {
        Active a = activeRun();
        List<Frame> second = sse.chat("assistant", a.user(), Map.of("session_id", a.session(), "message", "forget that"),
                null, "rollback");
        assertThat(second.getLast().type()).isEqualTo("run_completed");
        a.frames().get(20, TimeUnit.SECONDS);
        List<JsonNode> steps = steps(a);
        assertThat(steps).extracting(s -> s.path("content").asText(""))
                .hasSize(4).contains("forget that").doesNotContain(SLOW);
        assertThat(steps).extracting(s -> s.path("sequence").asInt()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void enqueueRunsTheMessageAfterTheActiveRunEnds() throws Exception {
        Active a = activeRun();
        String queuedId = given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", a.user())
                .queryParam("multitask", "enqueue").body(Map.of("session_id", a.session(), "message", "after that"))
                .post("/api/agents/assistant/chat").then().statusCode(202).extract().path("run_id");
        assertThat(status(a, queuedId)).isEqualTo("pending");

        assertThat(a.frames().get(30, TimeUnit.SECONDS).getLast().type()).isEqualTo("run_completed");
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> status(a, queuedId).equals("completed"));
        assertThat(steps(a)).extracting(s -> s.path("role").asText())
                .containsExactly("user", "assistant", "user", "assistant", "user", "assistant");
        assertThat(Stored.step(a.user(), a.session(), 5).path("content").asText()).isEqualTo("after that");
        assertThat(Stored.step(a.user(), a.session(), 5).path("run_id").asText()).isEqualTo(queuedId);
        if (Arc.container() != null) {
            // where the message waited is not in the API; in-process, check that the run row no longer holds it
            assertThat(Fresh.run(UUID.fromString(queuedId)).pendingInput).isNull();
        }
    }
}
