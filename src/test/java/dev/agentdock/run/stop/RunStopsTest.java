package dev.agentdock.run.stop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentdock.RedisPeer;
import dev.agentdock.run.Fresh;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.ActiveRunException;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one cancellation path across instances: stops scoped to their session on the control channel, and waiting for a
 * run that executes elsewhere by its {@code ended} notice (never by polling its row). A peer instance is played on the
 * shared Redis ({@link RedisPeer}) and by run rows that name another instance.
 */
@QuarkusTest
class RunStopsTest {

    private static final String SLOW = "tell me a long story [[slow:40]] [[tokens:400]]";

    @Inject
    RunStops stops;
    @Inject
    RunRepository runs;

    private final SseChatClient sse = new SseChatClient();

    /** A session of its own with a run that instance B executes (as far as this instance can tell: its row). */
    private AgentRun runningElsewhere() {
        return Fresh.run(RunningRows.insert("instance-b", OffsetDateTime.now(ZoneOffset.UTC)));
    }

    /** What instance B does as its run ends: its row first, then the notice. */
    private void endOnInstanceB(AgentRun run) {
        QuarkusTransaction.requiringNew().run(() -> runs.update("status = ?1, completedAt = ?2 where id = ?3",
                RunStatus.INTERRUPTED, OffsetDateTime.now(ZoneOffset.UTC), run.id));
        RedisPeer.publish(RunStops.CONTROL_CHANNEL, RunStops.endedMessage(run.id, RunStatus.INTERRUPTED));
    }

    @Test
    void aStopOnTheControlChannelForAnotherSessionLeavesTheRunAlone() throws Exception {
        String user = "user-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> turn = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("message", SLOW, "run_id", runId.toString()), null, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 3);
        UUID session = UUID.fromString(seen.getFirst().event().get("session_id").asText());

        // one subscription delivers in order: the first message is handled before the second
        RedisPeer.publish(RunStops.CONTROL_CHANNEL, RunStops.stopMessage(runId, UUID.randomUUID(), "another session's stop"));
        RedisPeer.publish(RunStops.CONTROL_CHANNEL, RunStops.stopMessage(runId, session, "its own session's stop"));

        List<Frame> frames = turn.get(20, TimeUnit.SECONDS);
        assertThat(frames.getLast().type()).isEqualTo("run_cancelled");
        assertThat(frames.getLast().event().get("status").asText()).isEqualTo("interrupted");
        assertThat(frames.getLast().event().get("reason").asText()).isEqualTo("its own session's stop");
    }

    @Test
    void anInterruptOfARunOnAnotherInstanceWaitsForItsEndedNotice() throws Exception {
        AgentRun elsewhere = runningElsewhere();
        String user = "user-" + elsewhere.sessionId;
        try (RedisPeer.Listener instanceB = RedisPeer.subscribe(RunStops.CONTROL_CHANNEL)) {
            CompletableFuture<Response> interrupting = CompletableFuture.supplyAsync(() -> given()
                    .contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", user)
                    .body(Map.of("session_id", elsewhere.sessionId.toString(), "message", "hello again"))
                    .post("/api/agents/assistant/chat?multitask=interrupt"));

            String stop = RunStops.stopMessage(elsewhere.id, elsewhere.sessionId, "interrupted by a new message");
            await().atMost(Duration.ofSeconds(10)).until(() -> instanceB.messages().contains(stop));
            endOnInstanceB(elsewhere);

            Response answered = interrupting.get(20, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as(answered.asString()).isEqualTo(200);
            assertThat(answered.jsonPath().getString("status")).isEqualTo("completed");
        }
    }

    @Test
    void stopAndWaitOnARunThatAlreadyEndedReturnsAtOnce() {
        AgentRun elsewhere = runningElsewhere();
        endOnInstanceB(elsewhere); // its notice went out before anybody waited for it
        // the caller's look at the run is older than its end: the row, read once, says it ended
        assertThat(elsewhere.status).isEqualTo(RunStatus.RUNNING);

        stops.stopAndWait(elsewhere, "user-" + elsewhere.sessionId, "interrupted by a new message", Duration.ofMinutes(2));

        assertThat(Fresh.run(elsewhere.id).status).isEqualTo(RunStatus.INTERRUPTED);
    }

    @Test
    void stopAndWaitGivesUpAfterItsTimeoutAndLeavesTheRunToItsInstance() {
        AgentRun elsewhere = runningElsewhere();
        try (RedisPeer.Listener instanceB = RedisPeer.subscribe(RunStops.CONTROL_CHANNEL)) {
            assertThatThrownBy(() -> stops.stopAndWait(elsewhere, "user-" + elsewhere.sessionId, "interrupted by a new message", Duration.ofMillis(300)))
                    .isInstanceOf(ActiveRunException.class)
                    .satisfies(e -> assertThat(((ActiveRunException) e).activeRunId()).isEqualTo(elsewhere.id));
            assertThat(instanceB.messages()).contains(
                    RunStops.stopMessage(elsewhere.id, elsewhere.sessionId, "interrupted by a new message"));
            assertThat(Fresh.run(elsewhere.id).status).isEqualTo(RunStatus.RUNNING);
        } finally {
            endOnInstanceB(elsewhere);
        }
    }

    @Test
    void aRunThatPausedBeforeItSawTheStopIsClosedByTheWaiter() {
        AgentRun elsewhere = runningElsewhere();
        try (RedisPeer.Listener instanceB = RedisPeer.subscribe(RunStops.CONTROL_CHANNEL)) {
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() ->
                    stops.stopAndWait(elsewhere, "user-" + elsewhere.sessionId, "interrupted by a new message", Duration.ofSeconds(20)));
            String stop = RunStops.stopMessage(elsewhere.id, elsewhere.sessionId, "interrupted by a new message");
            await().atMost(Duration.ofSeconds(10)).until(() -> instanceB.messages().contains(stop));
            // instance B's run asked for an approval instead of stopping
            QuarkusTransaction.requiringNew().run(() -> runs.update("status = ?1 where id = ?2", RunStatus.PAUSED,
                    elsewhere.id));
            RedisPeer.publish(RunStops.CONTROL_CHANNEL, RunStops.endedMessage(elsewhere.id, RunStatus.PAUSED));

            waiting.join();
            AgentRun closed = Fresh.run(elsewhere.id);
            assertThat(closed.status).isEqualTo(RunStatus.CANCELLED);
            assertThat(closed.error).isEqualTo("interrupted by a new message");
        }
    }
}
