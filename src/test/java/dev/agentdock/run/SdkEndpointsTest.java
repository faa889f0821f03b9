package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SdkEndpointsTest {

    private static RequestSpecification as(String user) {
        return given().header("X-User-Id", user).contentType(ContentType.JSON);
    }

    @Test
    void anSdkSessionIsCreatedIdempotentlyAndKeepsItsTranscriptInStorage() {
        String user = "user-" + UUID.randomUUID();
        String session = UUID.randomUUID().toString();
        Map<String, Object> create = Map.of("session_id", session, "agent_name", "helper",
                "instructions", "You are terse.", "model", "gpt-4o-mini");
        as(user).body(create).post("/api/sdk/session/create").then().statusCode(200)
                .body("session_id", equalTo(session)).body("agent_name", equalTo("helper"));
        as(user).body(create).post("/api/sdk/session/create").then().statusCode(200).body("session_id", equalTo(session));
        as("intruder").body(create).post("/api/sdk/session/create").then().statusCode(404);

        JsonPath reply = as(user).body(Map.of("session_id", session, "user_input", "check [[tool:echo {\"text\":\"sdk\"}]]"))
                .post("/api/sdk/session/message").then().statusCode(200).extract().jsonPath();
        assertThat(reply.getString("final_output")).contains("sdk");
        assertThat(reply.getInt("new_items_len")).isEqualTo(4);
        assertThat(reply.getList("tool_calls", String.class)).containsExactly("echo");

        JsonPath transcript = as(user).queryParam("session_id", session).get("/api/sdk/session/transcript").then()
                .statusCode(200).extract().jsonPath();
        assertThat(transcript.getList("items.type", String.class))
                .containsExactly("message", "function_call", "function_call_output", "message");
        assertThat(transcript.getInt("length")).isEqualTo(4);

        as(user).get("/api/sessions/" + session + "/context").then().statusCode(200)
                .body("messages[0].content", equalTo("You are terse."));
        as(user).body(Map.of("session_id", UUID.randomUUID().toString(), "user_input", "hi"))
                .post("/api/sdk/session/message").then().statusCode(404);
        as(user).body(Map.of("session_id", session)).post("/api/sdk/session/message").then().statusCode(422)
                .body("errors.field", hasItem("user_input"));
    }

    @Test
    void aSingleTurnRunAnswersWithTextAndToolCalls() {
        JsonPath run = as("user-" + UUID.randomUUID())
                .body(Map.of("input", "one shot [[tool:echo {\"text\":\"once\"}]]"))
                .post("/api/agent/run").then().statusCode(200).extract().jsonPath();
        assertThat(run.getString("id")).isNotBlank();
        assertThat(run.getString("output_text")).contains("once");
        assertThat(run.getList("tool_calls.name", String.class)).containsExactly("echo");
        assertThat(run.getList("tool_calls.result", String.class)).containsExactly("once");
        as("u").body(Map.of("input", "")).post("/api/agent/run").then().statusCode(422);
    }

    @Test
    void aModelOutsideTheAllowlistIsRefusedOnEveryPathThatLetsTheCallerChooseOne() {
        String user = "user-" + UUID.randomUUID();
        as(user).body(Map.of("input", "hi", "model", "o1-pro")).post("/api/agent/run").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("model"))
                .body("detail", org.hamcrest.Matchers.containsString("gpt-4o-mini"));
        as(user).body(Map.of("agent_name", "a", "instructions", "i", "model", "o1-pro"))
                .post("/api/sdk/session/create").then().statusCode(422).body("errors[0].field", org.hamcrest.Matchers.equalTo("model"));
        String session = as(user).body(Map.of("agent_name", "a", "instructions", "i", "model", "gpt-4o-mini"))
                .post("/api/sdk/session/create").then().statusCode(200).extract().path("session_id");
        as(user).body(Map.of("session_id", session, "user_input", "hi", "agent", Map.of("model", "o1-pro")))
                .post("/api/sdk/session/message").then().statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("agent.model"));
        as(user).body(Map.of("input", "hi", "model", "gpt-4o-mini")).post("/api/agent/run").then().statusCode(200);
    }
}
