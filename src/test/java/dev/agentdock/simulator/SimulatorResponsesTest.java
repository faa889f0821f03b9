package dev.agentdock.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorResponsesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nonStreamedResponseHasTheWireShape() {
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"model\":\"gpt-4.1-mini\",\"instructions\":\"Be kind.\",\"input\":\"Say hello to the world\"}")
                .post("/v1/responses")
                .then().statusCode(200)
                .body("id", startsWith("resp_"))
                .body("object", equalTo("response"))
                .body("status", equalTo("completed"))
                .body("model", equalTo("gpt-4.1-mini"))
                .body("instructions", equalTo("Be kind."))
                .body("$", not(hasKey("output_text")))
                .body("output.size()", equalTo(1))
                .body("output[0].type", equalTo("message"))
                .body("output[0].id", startsWith("msg_"))
                .body("output[0].role", equalTo("assistant"))
                .body("output[0].status", equalTo("completed"))
                .body("output[0].content[0].type", equalTo("output_text"))
                .body("output[0].content[0].text", startsWith("Echo: Say hello to the world"))
                .body("output[0].content[0].annotations.size()", equalTo(0))
                .body("usage.input_tokens", equalTo(7))
                .body("usage.output_tokens", equalTo(24))
                .body("usage.total_tokens", equalTo(31));
    }

    @Test
    void itemListInputUsesTheLastUserMessage() {
        String body = """
                {"model":"gpt-4.1-mini","input":[
                  {"role":"user","content":"first question"},
                  {"role":"assistant","content":[{"type":"output_text","text":"an answer"}]},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"second question here"}]}]}
                """;
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(body)
                .post("/v1/responses")
                .then().statusCode(200)
                .body("output[0].content[0].text", startsWith("Echo: second question here"));
    }

    @Test
    void streamEmitsTheTypedEventSequence() throws Exception {
        SseClient.Result result = SseClient.post(RestAssured.port, "/v1/responses",
                "{\"model\":\"gpt-4.1-mini\",\"input\":\"Stream it [[tokens:6]]\",\"stream\":true}", Map.of(), 5_000);

        assertEquals(SseClient.Ending.COMPLETE, result.ending());
        assertTrue(result.contentType().startsWith("text/event-stream"));
        List<String> expected = new ArrayList<>(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added"));
        for (int i = 0; i < 6; i++) {
            expected.add("response.output_text.delta");
        }
        expected.addAll(List.of("response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed"));
        assertEquals(expected, result.events());
        assertEquals(expected.size(), result.data().size());

        StringBuilder deltas = new StringBuilder();
        String doneText = null;
        JsonNode completed = null;
        for (int i = 0; i < result.data().size(); i++) {
            JsonNode event = JSON.readTree(result.data().get(i));
            assertEquals(result.events().get(i), event.path("type").asText());
            assertEquals(i, event.path("sequence_number").asInt());
            switch (event.path("type").asText()) {
                case "response.output_text.delta" -> deltas.append(event.path("delta").asText());
                case "response.output_text.done" -> doneText = event.path("text").asText();
                case "response.completed" -> completed = event.path("response");
                default -> {
                }
            }
        }
        assertEquals(doneText, deltas.toString());
        assertEquals("completed", completed.path("status").asText());
        assertEquals(doneText, completed.path("output").path(0).path("content").path(0).path("text").asText());
        assertEquals(6, completed.path("usage").path("output_tokens").asInt());
        JsonNode created = JSON.readTree(result.data().getFirst());
        assertEquals("in_progress", created.path("response").path("status").asText());
        assertEquals(created.path("response").path("id"), completed.path("id"));
    }

    @Test
    void toolMarkerBecomesAFunctionCallItem() {
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"model\":\"gpt-4.1-mini\",\"input\":\"[[tool:lookup {\\\"q\\\":1}]]\"}")
                .post("/v1/responses")
                .then().statusCode(200)
                .body("output[0].type", equalTo("function_call"))
                .body("output[0].name", equalTo("lookup"))
                .body("output[0].call_id", startsWith("call_"))
                .body("output[0].arguments", equalTo("{\"q\":1}"));
    }

    @Test
    void failureMarkersWorkHereToo() throws Exception {
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"model\":\"gpt-4.1-mini\",\"input\":\"x [[fail:500]]\"}")
                .post("/v1/responses")
                .then().statusCode(500).body("error.type", equalTo("server_error"));
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"model\":\"gpt-4.1-mini\",\"input\":\"x [[fail:429]]\"}")
                .post("/v1/responses")
                .then().statusCode(429).body("error.type", equalTo("rate_limit_exceeded"));

        SseClient.Result cut = SseClient.post(RestAssured.port, "/v1/responses",
                "{\"model\":\"m\",\"input\":\"x [[fail:cut]]\",\"stream\":true}", Map.of(), 5_000);
        assertEquals(SseClient.Ending.BROKEN, cut.ending());
        assertTrue(!cut.events().contains("response.completed"));
        assertEquals(ChatCompletionsRoute.TOKENS_BEFORE_CUT,
                cut.events().stream().filter("response.output_text.delta"::equals).count());

        SseClient.Result stall = SseClient.post(RestAssured.port, "/v1/responses",
                "{\"model\":\"m\",\"input\":\"x [[fail:stall]]\",\"stream\":true}", Map.of(), 500);
        assertEquals(SseClient.Ending.TIMED_OUT, stall.ending());
        assertTrue(stall.events().contains("response.output_text.delta"));

        SseClient.Result malformed = SseClient.post(RestAssured.port, "/v1/responses",
                "{\"model\":\"m\",\"input\":\"x [[fail:malformed]]\",\"stream\":true}", Map.of(), 5_000);
        assertEquals("{not json", malformed.data().getLast());
    }

    @Test
    void missingInputIsABadRequest() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").body("{\"model\":\"m\"}")
                .post("/v1/responses")
                .then().statusCode(400).body("error.message", equalTo("Missing required parameter: 'input'."));
    }
}
