package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.agentdock.run.SseChatClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RealtimeItemsTest {

    private final SseChatClient sse = new SseChatClient();

    private static final List<Map<String, Object>> VOICE_TURN = List.of(
            Map.of("id", "item_u1", "type", "message", "role", "user",
                    "content", List.of(Map.of("type", "input_audio", "transcript", "what time is it in Paris"))),
            Map.of("id", "item_f1", "type", "function_call", "call_id", "call_rt1", "name", "get_current_time",
                    "arguments", "{\"timezone\":\"Europe/Paris\"}"),
            Map.of("id", "item_o1", "type", "function_call_output", "call_id", "call_rt1", "output", "09:30 in Paris"),
            Map.of("id", "item_a1", "type", "message", "role", "assistant",
                    "content", List.of(Map.of("type", "audio", "transcript", "It is half past nine in Paris."))));

    private static io.restassured.response.ValidatableResponse post(String user, String session, Object body) {
        return given().contentType(ContentType.JSON).header("X-User-Id", user).body(body)
                .post("/api/sessions/" + session + "/realtime/items").then();
    }

    @Test
    void voiceItemsJoinTheSessionTimelineOnceAndInOrder() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "typed first")).getLast().event()
                .get("session_id").asText();

        post(user, session, Map.of("items", VOICE_TURN)).statusCode(200)
                .body("stored", equalTo(4)).body("skipped", equalTo(0)).body("last_sequence", equalTo(6));
        post(user, session, Map.of("items", VOICE_TURN)).statusCode(200)
                .body("stored", equalTo(0)).body("skipped", equalTo(4));

        sse.chat("assistant", user, Map.of("session_id", session, "message", "and typed again"));
        JsonPath context = given().header("X-User-Id", user).get("/api/sessions/" + session + "/context").then()
                .statusCode(200).extract().jsonPath();
        assertThat(context.getList("messages.role", String.class)).containsExactly("system", "user", "assistant",
                "user", "assistant", "tool", "assistant", "user", "assistant");
        assertThat(context.getString("messages[3].content")).isEqualTo("what time is it in Paris");
        assertThat(context.getString("messages[4].tool_calls[0].function.name")).isEqualTo("get_current_time");
        assertThat(context.getString("messages[5].tool_call_id")).isEqualTo("call_rt1");

        String fork = given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("sequence", 6))
                .post("/api/sessions/" + session + "/fork").then().statusCode(200).extract().path("new_session_id");
        given().header("X-User-Id", user).get("/api/sessions/" + fork + "/steps").then().statusCode(200)
                .body("steps.content", hasItem("It is half past nine in Paris."));
    }

    @Test
    void badItemsAreRefusedByFieldAndNothingIsStored() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        post(user, session, Map.of("items", List.of(VOICE_TURN.get(0), Map.of("id", "x", "type", "dance"))))
                .statusCode(422).body("errors.field", hasItem("items[1].type"));
        post(user, session, Map.of("items", List.of(Map.of("type", "message", "role", "user",
                "content", List.of(Map.of("type", "input_text", "text", "no id")))))).statusCode(422)
                .body("errors.field", hasItem("items[0].id"));
        post(user, session, Map.of("items", List.of())).statusCode(422).body("detail", containsString("items"));
        post(user, session, Map.of("items", List.of(Map.of("id", "m", "type", "message", "role", "system",
                "content", List.of(Map.of("text", "x")))))).statusCode(422).body("errors.field", hasItem("items[0].role"));
        post("intruder", session, Map.of("items", VOICE_TURN)).statusCode(404);
        given().header("X-User-Id", user).get("/api/sessions/" + session + "/summary").then().body("total_steps", equalTo(2));
    }

    @Test
    void theAgentsSdkHistoryIsAcceptedAsItIs() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "typed first")).getLast().event()
                .get("session_id").asText();
        // RealtimeItem shapes of @openai/agents-realtime's session.history: itemId, callId, the output in the call
        List<Map<String, Object>> history = List.of(
                Map.of("itemId", "item_s1", "type", "message", "role", "user", "status", "completed",
                        "content", List.of(Map.of("type", "input_audio", "transcript", "what time is it"))),
                Map.of("itemId", "item_s2", "type", "function_call", "callId", "call_s2", "name", "get_current_time",
                        "arguments", "{}", "output", "09:30", "status", "completed"),
                Map.of("itemId", "item_s3", "type", "message", "role", "assistant", "status", "completed",
                        "content", List.of(Map.of("type", "output_audio", "transcript", "It is 09:30."))));
        post(user, session, Map.of("items", history)).statusCode(200).body("stored", equalTo(4));
        post(user, session, Map.of("items", history)).statusCode(200).body("stored", equalTo(0)).body("skipped", equalTo(4));
        JsonPath context = given().header("X-User-Id", user).get("/api/sessions/" + session + "/context").then()
                .statusCode(200).extract().jsonPath();
        assertThat(context.getList("messages.role", String.class)).endsWith("user", "assistant", "tool", "assistant");
        assertThat(context.getString("messages[4].tool_calls[0].id")).isEqualTo("call_s2");
        assertThat(context.getString("messages[5].tool_call_id")).isEqualTo("call_s2");
        assertThat(context.getString("messages[5].content")).isEqualTo("09:30");
        // nothing that identifies an item: a 422 naming id
        post(user, session, Map.of("items", List.of(Map.of("type", "message", "role", "user",
                "content", List.of(Map.of("type", "input_text", "text", "x")))))).statusCode(422)
                .body("errors.field", hasItem("items[0].id"));
    }
}
