package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.StepRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
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

    @Inject
    RunRepository runs;
    @Inject
    StepRepository steps;

    private record Active(String user, String session, String runId, CompletableFuture<List<Frame>> frames) {
    }

    /** A session with a first completed turn and a second, slow turn streaming. */
    private Active activeRun() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> frames = CompletableFuture.supplyAsync(() -> SseChatClient.frames(
                sse.api().chat("assistant", user, null, null,
                        SseChatClient.body(Map.of("session_id", session, "message", SLOW, "run_id", runId)))
                        .invoke(e -> seen.add(SseChatClient.decode(e)))));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 3);
        return new Active(user, session, runId, frames);
    }

    private RunStatus status(String runId) {
        return Fresh.run(UUID.fromString(runId)).status;
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
        assertThat(status(a.runId())).isEqualTo(RunStatus.INTERRUPTED);
        UUID session = UUID.fromString(a.session());
        assertThat(Fresh.steps(session)).extracting(s -> s.role.wire() + (s.interrupted ? "!" : ""))
                .containsExactly("user", "assistant", "user", "assistant!", "user", "assistant");
    }

    @Test
    void rollbackStopsTheActiveRunAndDeletesWhatItWrote() throws Exception {
        Active a = activeRun();
        List<Frame> second = sse.chat("assistant", a.user(), Map.of("session_id", a.session(), "message", "forget that"),
                null, "rollback");
        assertThat(second.getLast().type()).isEqualTo("run_completed");
        a.frames().get(20, TimeUnit.SECONDS);
        UUID session = UUID.fromString(a.session());
        assertThat(Fresh.steps(session)).extracting(s -> s.content == null ? "" : s.content)
                .hasSize(4).contains("forget that").doesNotContain(SLOW);
        assertThat(Fresh.steps(session)).extracting(s -> s.sequence).containsExactly(1, 2, 3, 4);
    }

    @Test
    void enqueueRunsTheMessageAfterTheActiveRunEnds() throws Exception {
        Active a = activeRun();
        String queuedId = given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", a.user())
                .queryParam("multitask", "enqueue").body(Map.of("session_id", a.session(), "message", "after that"))
                .post("/api/agents/assistant/chat").then().statusCode(202).extract().path("run_id");
        assertThat(status(queuedId)).isEqualTo(RunStatus.PENDING);

        assertThat(a.frames().get(30, TimeUnit.SECONDS).getLast().type()).isEqualTo("run_completed");
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> status(queuedId) == RunStatus.COMPLETED);
        AgentRun queued = Fresh.run(UUID.fromString(queuedId));
        assertThat(queued.pendingInput).isNull();
        assertThat(Fresh.steps(UUID.fromString(a.session()))).extracting(s -> s.role.wire())
                .containsExactly("user", "assistant", "user", "assistant", "user", "assistant");
        assertThat(Fresh.step(UUID.fromString(a.session()), 5).orElseThrow().content).isEqualTo("after that");
    }
}
