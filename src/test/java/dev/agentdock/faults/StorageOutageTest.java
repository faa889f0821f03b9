package dev.agentdock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.Fresh;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL (a cluster of this test's own) stopped in the middle of a streaming turn: the client is told at once,
 * the upstream call is cancelled, the run leaves the heartbeat, and its end and text are stored once the database is
 * back, so the session takes new turns.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnPostgres.class, restrictToAnnotatedClass = true)
class StorageOutageTest {

    private static final Set<String> TERMINAL = Set.of("run_completed", "run_failed", "run_cancelled", "guardrail_tripped");

    @Inject
    ActiveRuns active;
    @Inject
    dev.agentdock.simulator.OpenStreams streams;

    @Test
    void aDatabaseStoppedMidTurnEndsTheStreamWithStorageUnavailableAndTheRunIsStoredOnceItIsBack() throws Exception {
        SseChatClient sse = new SseChatClient();
        LongTurn started = LongTurn.start(sse);
        String user = started.user();
        String session = started.session();
        UUID runId = started.runId();
        CompletableFuture<List<SseChatClient.Frame>> turn = started.frames();
        assertThat(openStreams()).isGreaterThan(0);

        long stoppedAt = System.nanoTime();
        OwnPostgres.cluster.stop();
        List<SseChatClient.Frame> frames = turn.get(30, TimeUnit.SECONDS);
        long toldMs = (System.nanoTime() - stoppedAt) / 1_000_000;

        List<SseChatClient.Frame> terminal = frames.stream().filter(f -> TERMINAL.contains(f.type())).toList();
        assertThat(terminal).hasSize(1);
        assertThat(frames.getLast().type()).isEqualTo("run_failed");
        assertThat(frames.getLast().event().path("error").asText()).isEqualTo("storage unavailable");
        await().atMost(Duration.ofSeconds(10)).until(() -> openStreams() == 0);
        long cancelledMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        assertThat(active.find(runId)).as("off the heartbeat").isEmpty();
        String sawText = frames.stream().filter(f -> f.type().equals("step_delta"))
                .map(f -> f.event().at("/delta/content").asText("")).collect(Collectors.joining());

        // meanwhile a request that needs the database is told to come back, not "unexpected failure"
        io.restassured.RestAssured.given().header("X-User-Id", user).contentType("application/json")
                .accept("application/json").body(Map.of("session_id", session, "message", "now?"))
                .post("/api/agents/assistant/chat")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("type", org.hamcrest.Matchers.containsString("storage-unavailable"));
        Thread.sleep(1_000); // the outage goes on a little: the deferred end keeps retrying meanwhile
        OwnPostgres.cluster.start();
        long startedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> Fresh.run(runId).status == RunStatus.ERROR);
        long storedMs = (System.nanoTime() - startedAt) / 1_000_000;
        System.out.printf("[fault] postgres stop mid-turn: run_failed after %d ms, upstream cancelled after %d ms, "
                + "end stored %d ms after the database was back%n", toldMs, cancelledMs, storedMs);

        AgentRun run = Fresh.run(runId);
        assertThat(run.error).isEqualTo("storage unavailable");
        List<Step> steps = Fresh.steps(UUID.fromString(session));
        assertThat(steps).extracting(s -> s.sequence).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, steps.size()).boxed().toList());
        Step cut = steps.getLast();
        assertThat(cut.runId).isEqualTo(runId);
        assertThat(cut.interrupted).isTrue();
        assertThat(cut.content).isEqualTo(sawText).isNotEmpty();

        List<SseChatClient.Frame> next = sse.chat("assistant", user, Map.of("session_id", session, "message", "again"));
        assertThat(next.getLast().type()).isEqualTo("run_completed");
    }

    /** From the bean (a registry lookup may find the gauge of an app started earlier in this JVM). */
    private double openStreams() {
        return streams.now();
    }
}
