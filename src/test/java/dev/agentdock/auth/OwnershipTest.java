package dev.agentdock.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two JWT users: B cannot see or touch anything of A's (404, as if it did not exist); A can. */
@QuarkusTest
@TestProfile(JwtProfile.class)
class OwnershipTest {

    @Inject
    ConversationStore store;

    private String userA;
    private String session;
    private String run;

    /** A's session with one finished turn: a run and its user step (sequence 1). */
    @BeforeEach
    void aliceHasASessionWithARun() {
        userA = "alice-" + UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        store.beginRun(sessionId, userA, "assistant", runId, "test-instance", "hello");
        store.finishRun(runId, RunStatus.COMPLETED, null, new ConversationStore.RunTotals(0, 0, 1, 1, null));
        session = sessionId.toString();
        run = runId.toString();
    }

    private static RequestSpecification as(String user) {
        return given().header("Authorization", JwtProfile.bearer(user)).contentType(ContentType.JSON);
    }

    /** Every session- and run-scoped endpoint, by name, as a request made by the given caller. */
    private Map<String, Function<RequestSpecification, Response>> endpoints() {
        Map<String, Function<RequestSpecification, Response>> calls = new LinkedHashMap<>();
        String s = "/api/sessions/" + session;
        calls.put("GET steps", r -> r.get(s + "/steps"));
        calls.put("GET steps/1", r -> r.get(s + "/steps/1"));
        calls.put("DELETE steps?start_seq=1", r -> r.queryParam("start_seq", 1).delete(s + "/steps"));
        calls.put("POST fork", r -> r.body(Map.of("sequence", 1)).post(s + "/fork"));
        calls.put("GET branches", r -> r.get(s + "/branches"));
        calls.put("GET context", r -> r.get(s + "/context"));
        calls.put("GET summary", r -> r.get(s + "/summary"));
        calls.put("GET runs", r -> r.get(s + "/runs"));
        calls.put("GET agents/assistant/sessions/{id}", r -> r.get("/api/agents/assistant/sessions/" + session));
        calls.put("GET runs/{id}", r -> r.get("/api/runs/" + run));
        calls.put("POST runs/{id}/cancel", r -> r.post("/api/runs/" + run + "/cancel"));
        calls.put("GET runs/{id}/stream", r -> r.accept("text/event-stream").get("/api/runs/" + run + "/stream"));
        calls.put("POST agents/assistant/stop", r -> r.body(Map.of("session_id", session))
                .post("/api/agents/assistant/stop"));
        return calls;
    }

    @Test
    void anotherUsersSessionAndRunAreNotFoundOnEveryEndpoint() {
        String userB = "bob-" + UUID.randomUUID();
        endpoints().forEach((name, call) -> {
            Response response = call.apply(as(userB));
            assertThat(response.statusCode()).as("%s as B", name).isEqualTo(404);
            assertThat(response.contentType()).as("%s as B", name).startsWith("application/problem+json");
        });
        // Nothing B asked for happened: A's step is still there, and A's session has no fork.
        as(userA).get("/api/sessions/" + session + "/steps").then().statusCode(200)
                .body("steps.size()", equalTo(1)).body("steps[0].content", equalTo("hello"));
        as(userA).get("/api/sessions/" + session + "/branches").then().statusCode(200).body("forks.size()", equalTo(0));
    }

    @Test
    void theOwnerReachesEveryEndpoint() {
        endpoints().forEach((name, call) -> {
            Response response = call.apply(as(userA));
            assertThat(response.statusCode()).as("%s as A: %s", name, response.asString())
                    .isNotEqualTo(404).isLessThan(500);
        });
        // The expected outcomes for the owner, where they are not plain 200s.
        as(userA).post("/api/runs/" + run + "/cancel").then().statusCode(409)
                .contentType(startsWith("application/problem+json"));
        as(userA).body(Map.of("session_id", session)).post("/api/agents/assistant/stop").then().statusCode(409);
    }
}
