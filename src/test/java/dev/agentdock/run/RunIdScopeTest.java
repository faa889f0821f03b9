package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.RedisPeer;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client-chosen run id is scoped to its user: another user's run with that id is neither revealed (no 409, a stop
 * answered as for an unknown id) nor touched, and a stop asked for before the id existed reaches only its asker's run.
 */
@QuarkusTest
class RunIdScopeTest {

    @Inject
    ConversationStore store;
    @Inject
    AgroalDataSource db;

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static JsonPath chat(String user, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", user).body(body)
                .post("/api/agents/assistant/chat").then().statusCode(200).extract().jsonPath();
    }

    private static Response stop(String user, String session, String run) {
        return given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("session_id", session, "run_id", run)).post("/api/agents/assistant/stop");
    }

    @Test
    void aRunIdAnotherUserHasStartsTheTurnUnderAFreshIdButTheSameUsersIsStill409() {
        String alice = user();
        String bob = user();
        String runId = UUID.randomUUID().toString();
        JsonPath hers = chat(alice, Map.of("message", "hers", "run_id", runId));
        assertThat(hers.getString("run_id")).isEqualTo(runId);

        JsonPath his = chat(bob, Map.of("message", "his", "run_id", runId));
        assertThat(his.getString("status")).isEqualTo("completed");
        assertThat(his.getString("run_id")).isNotEqualTo(runId);
        assertThat(his.getString("session_id")).isNotEqualTo(hers.getString("session_id"));
        given().header("X-User-Id", bob).get("/api/runs/" + his.getString("run_id")).then().statusCode(200)
                .body("session_id", equalTo(his.getString("session_id")));
        // alice's run is hers alone, unchanged; bob still cannot see it
        given().header("X-User-Id", alice).get("/api/runs/" + runId).then().statusCode(200)
                .body("session_id", equalTo(hers.getString("session_id"))).body("status", equalTo("completed"));
        given().header("X-User-Id", bob).get("/api/runs/" + runId).then().statusCode(404);

        // streamed: every event names the fresh id
        java.util.List<SseChatClient.Frame> frames = new SseChatClient().chat("assistant", bob,
                Map.of("message", "streamed", "run_id", runId));
        assertThat(frames).isNotEmpty();
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        String streamedId = frames.getFirst().event().get("run_id").asText();
        assertThat(streamedId).isNotEqualTo(runId);
        assertThat(frames).allSatisfy(f -> assertThat(f.event().get("run_id").asText()).isEqualTo(streamedId));

        // queued behind an active run: the same rule
        String bobSession = his.getString("session_id");
        UUID active = UUID.randomUUID();
        store.beginRun(UUID.fromString(bobSession), bob, "assistant", active, "another-instance", "busy");
        Response queued = given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", bob)
                .queryParam("multitask", "enqueue")
                .body(Map.of("message", "later", "run_id", runId, "session_id", bobSession))
                .post("/api/agents/assistant/chat");
        assertThat(queued.statusCode()).isEqualTo(202);
        assertThat(queued.jsonPath().getString("run_id")).isNotEqualTo(runId);
        store.finishRun(active, RunStatus.COMPLETED, null, new ConversationStore.RunTotals(0, 0, 0, null, null));

        // the caller's own id, used again: the conflict it always was
        given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", alice)
                .body(Map.of("message", "again", "run_id", runId)).post("/api/agents/assistant/chat")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString(runId));
    }

    @Test
    void aStopNamingAnotherUsersRunIsAnsweredAsAnUnknownIdAndLeavesItAlone() {
        String alice = user();
        String bob = user();
        UUID aliceSession = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        store.beginRun(aliceSession, alice, "assistant", running, "another-instance", "hello");
        AgentRun queued = store.enqueueRun(aliceSession, alice, "assistant", UUID.randomUUID(), "later");
        String bobSession = chat(bob, Map.of("message", "mine")).getString("session_id");

        String unknown = UUID.randomUUID().toString();
        Response forUnknown = stop(bob, bobSession, unknown);
        for (UUID hers : new UUID[] {running, queued.id}) {
            Response forHers = stop(bob, bobSession, hers.toString());
            assertThat(forHers.statusCode()).isEqualTo(forUnknown.statusCode()).isEqualTo(202);
            assertThat(forHers.contentType()).isEqualTo(forUnknown.contentType());
            Map<String, Object> a = forHers.jsonPath().getMap("");
            Map<String, Object> b = forUnknown.jsonPath().getMap("");
            assertThat(a.keySet()).isEqualTo(b.keySet());
            assertThat(a.get("run_id")).isEqualTo(hers.toString());
            assertThat(a.get("reach")).isEqualTo(b.get("reach"));
            assertThat(a.get("stop_requested")).isEqualTo(b.get("stop_requested"));
            // by id: 404 for hers exactly as for an unknown one
            Response cancelHers = given().header("X-User-Id", bob).post("/api/runs/" + hers + "/cancel");
            Response cancelUnknown = given().header("X-User-Id", bob).post("/api/runs/" + unknown + "/cancel");
            assertThat(cancelHers.statusCode()).isEqualTo(cancelUnknown.statusCode()).isEqualTo(404);
            assertThat(cancelHers.contentType()).isEqualTo(cancelUnknown.contentType());
            assertThat(cancelHers.jsonPath().getMap("").keySet()).isEqualTo(cancelUnknown.jsonPath().getMap("").keySet());
        }
        // nothing of hers stopped: the queued run still waits, the running one still runs, with no stop flag of hers
        assertThat(QuarkusTransaction.requiringNew().call(() -> store.findRun(queued.id).orElseThrow().status))
                .isEqualTo(RunStatus.PENDING);
        assertThat(QuarkusTransaction.requiringNew().call(() -> store.findRun(running).orElseThrow().status))
                .isEqualTo(RunStatus.RUNNING);
        assertThat((java.util.List<?>) RedisPeer.command("KEYS", "agentdock:run:" + running + ":stop:" + aliceSession + "*")).isEmpty();
        store.finishRun(running, RunStatus.COMPLETED, null, new ConversationStore.RunTotals(0, 0, 0, null, null));
    }

    @Test
    void aPreStopByOneUserNeverStopsAnotherUsersLaterRunOfThatId() throws Exception {
        String mallory = user();
        String victim = user();
        String runId = UUID.randomUUID().toString();
        // mallory's session, and a stop for a run id nobody used yet
        String session = chat(mallory, Map.of("message", "set up")).getString("session_id");
        assertThat(stop(mallory, session, runId).statusCode()).isEqualTo(202);
        // the session goes away (its id may be taken again), and the victim picks both ids later
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM ai_agent_sessions WHERE session_id = ?")) {
            ps.setObject(1, UUID.fromString(session));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        JsonPath later = chat(victim, Map.of("message", "my turn", "run_id", runId, "session_id", session));
        assertThat(later.getString("run_id")).isEqualTo(runId);
        assertThat(later.getString("status")).isEqualTo("completed");

        // the asker's own later run of that id is still stopped as it starts
        String own = UUID.randomUUID().toString();
        assertThat(stop(victim, session, own).statusCode()).isEqualTo(202);
        JsonPath stopped = chat(victim, Map.of("message", "stop me", "run_id", own, "session_id", session));
        assertThat(stopped.getString("status")).isEqualTo("interrupted");
    }
}
