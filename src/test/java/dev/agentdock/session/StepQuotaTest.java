package dev.agentdock.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.run.SseChatClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A session holds at most {@code max-steps} steps, and one items request carries at most so many items. */
@QuarkusTest
@TestProfile(StepQuotaTest.SmallQuota.class)
class StepQuotaTest {

    public static class SmallQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.sessions.max-steps", "6", "agentdock.sessions.max-items-per-request", "3");
        }
    }

    private final SseChatClient sse = new SseChatClient();

    private static Map<String, Object> userItem(String id) {
        return Map.of("id", id, "type", "message", "role", "user",
                "content", List.of(Map.of("type", "input_audio", "transcript", "said " + id)));
    }

    private static ValidatableResponse items(String user, String session, List<Map<String, Object>> items) {
        return given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("items", items))
                .post("/api/sessions/" + session + "/realtime/items").then();
    }

    private static ValidatableResponse chat(String user, String session, String message) {
        return given().contentType(ContentType.JSON).header("X-User-Id", user).accept("text/event-stream")
                .body(Map.of("session_id", session, "message", message))
                .post("/api/agents/assistant/chat").then();
    }

    private static long totalSteps(String user, String session) {
        return given().header("X-User-Id", user).get("/api/sessions/" + session + "/summary").then()
                .statusCode(200).extract().<Number>path("total_steps").longValue();
    }

    private static List<String> runIds(String user, String session) {
        return given().header("X-User-Id", user).get("/api/sessions/" + session + "/runs").then()
                .statusCode(200).extract().jsonPath().getList("run_id", String.class);
    }

    @Test
    void tooManyItemsInOneRequestIs413AndNothingIsStored() {
        String user = "quota-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        List<Map<String, Object>> four = List.of(userItem("a"), userItem("b"), userItem("c"), userItem("d"));
        items(user, session, four).statusCode(413).contentType(startsWith("application/problem+json"))
                .body("type", containsString("too-many-items")).body("detail", containsString("at most 3"));
        org.junit.jupiter.api.Assertions.assertEquals(2, totalSteps(user, session));
        items(user, session, four.subList(0, 3)).statusCode(200).body("stored", equalTo(3));
    }

    @Test
    void aFullSessionRefusesTurnsAndItemsWith422UntilStepsAreDeleted() {
        String user = "quota-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "one")).getLast().event().get("session_id").asText();
        sse.chat("assistant", user, Map.of("session_id", session, "message", "two"));
        items(user, session, List.of(userItem("x1"))).statusCode(200).body("stored", equalTo(1));
        org.junit.jupiter.api.Assertions.assertEquals(5, totalSteps(user, session));

        // 5 + 2 would pass the cap: the whole request is refused, the step that fitted is not kept
        items(user, session, List.of(userItem("x2"), userItem("x3"))).statusCode(422)
                .contentType(startsWith("application/problem+json")).body("type", containsString("session-full"));
        org.junit.jupiter.api.Assertions.assertEquals(5, totalSteps(user, session));

        items(user, session, List.of(userItem("x2"))).statusCode(200).body("stored", equalTo(1));
        List<String> runsBefore = runIds(user, session);
        chat(user, session, "one too many").statusCode(422).contentType(startsWith("application/problem+json"))
                .body("type", containsString("session-full")).body("detail", containsString("at most 6"));
        org.junit.jupiter.api.Assertions.assertEquals(6, totalSteps(user, session));
        org.junit.jupiter.api.Assertions.assertEquals(runsBefore, runIds(user, session), "no run was recorded");

        given().header("X-User-Id", user).delete("/api/sessions/" + session + "/steps?start_seq=5").then().statusCode(200);
        List<SseChatClient.Frame> frames = sse.chat("assistant", user, Map.of("session_id", session, "message", "room again"));
        org.junit.jupiter.api.Assertions.assertEquals("run_completed", frames.getLast().type(), frames.toString());
    }

    @Test
    void anotherSessionOfTheSameUserIsNotCounted() {
        String user = "quota-" + UUID.randomUUID();
        String full = sse.chat("assistant", user, Map.of("message", "one")).getLast().event().get("session_id").asText();
        List<Map<String, Object>> rest = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rest.add(userItem("f" + i));
        }
        items(user, full, rest).statusCode(200);
        items(user, full, List.of(userItem("g"))).statusCode(200);
        chat(user, full, "refused").statusCode(422);
        List<SseChatClient.Frame> fresh = sse.chat("assistant", user, Map.of("message", "a new session"));
        org.junit.jupiter.api.Assertions.assertEquals("run_completed", fresh.getLast().type(), fresh.toString());
    }
}
