package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ChatTurnTest {

    private final SseChatClient sse = new SseChatClient();

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private static List<String> types(List<Frame> frames) {
        return frames.stream().map(Frame::type).toList();
    }

    @Test
    void aPlainTurnStreamsNumberedEventsAndStoresBothSteps() {
        String user = user();
        List<Frame> frames = sse.chat("assistant", user, Map.of("message", "Hello there [[tokens:12]]"));

        assertThat(types(frames)).startsWith("run_started", "step_started").endsWith("step_completed", "run_completed");
        assertThat(types(frames)).filteredOn("step_delta"::equals).hasSizeGreaterThanOrEqualTo(12);
        String runId = frames.getFirst().event().get("run_id").asText();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            assertThat(f.event().get("event_seq").asLong()).isEqualTo(i + 1);
            assertThat(f.id()).isEqualTo(runId + ":" + (i + 1));
            assertThat(f.event().get("ts").asText()).isNotBlank();
            assertThat(f.event().get("session_id").asText()).isNotBlank();
        }
        Frame done = frames.getLast();
        String streamed = frames.stream().filter(f -> f.type().equals("step_delta"))
                .map(f -> f.event().at("/delta/content").asText()).reduce("", String::concat);
        assertThat(done.event().get("output_text").asText()).isEqualTo(streamed).isNotBlank();
        assertThat(done.event().at("/usage/output_tokens").asInt()).isPositive();

        String session = done.event().get("session_id").asText();
        List<JsonNode> stored = Stored.steps(user, session);
        assertThat(stored).extracting(s -> s.path("role").asText()).containsExactly("user", "assistant");
        JsonNode assistant = stored.get(1);
        JsonNode metrics = assistant.path("metrics");
        assertThat(assistant.path("content").asText()).isEqualTo(streamed);
        assertThat(metrics.path("duration_ms").isNumber()).isTrue();
        assertThat(metrics.path("duration_ms").asDouble()).isPositive();
        assertThat(metrics.path("first_token_latency_ms").isNumber()).as("first token latency stored").isTrue();
        assertThat(metrics.path("output_tokens").asInt()).isPositive();
        assertThat(metrics.path("input_tokens").asInt()).isPositive();
        assertThat(metrics.path("total_tokens").asInt())
                .isEqualTo(metrics.path("input_tokens").asInt() + metrics.path("output_tokens").asInt());
        assertThat(metrics.path("model_name").asText()).isEqualTo("gpt-4o-mini");
        assertThat(metrics.path("provider").asText()).isEqualTo("simulator");
        Frame completed = frames.get(frames.size() - 2);
        assertThat(completed.event().at("/step/metrics/output_tokens").asInt()).isEqualTo(metrics.path("output_tokens").asInt());
    }

    @Test
    void turnTwoSeesTurnOneInItsContext() {
        String user = user();
        List<Frame> first = sse.chat("assistant", user, Map.of("message", "My favourite colour is teal"));
        String session = first.getLast().event().get("session_id").asText();
        List<Frame> second = sse.chat("assistant", user, Map.of("session_id", session, "message", "[[context]]"));

        String reply = second.getLast().event().get("output_text").asText();
        assertThat(reply).contains("system,user,assistant,user").contains("My favourite colour is teal");
        int firstInput = first.getLast().event().at("/usage/input_tokens").asInt();
        int secondInput = second.getLast().event().at("/usage/input_tokens").asInt();
        assertThat(secondInput).isGreaterThan(firstInput);
        assertThat(Stored.steps(user, session)).extracting(s -> s.path("sequence").asInt())
                .containsExactly(1, 2, 3, 4);
    }

    @Test
    void twoToolCallsInOneStepRunAndTheModelSeesBothResults() {
        String user = user();
        List<Frame> frames = sse.chat("assistant", user, Map.of("message",
                "Do both [[tool:echo {\"text\":\"ping\"}]] [[tool:get_current_time {\"timezone\":\"Europe/Paris\"}]]"));

        List<Frame> started = frames.stream().filter(f -> f.type().equals("tool_call_started")).toList();
        List<Frame> completed = frames.stream().filter(f -> f.type().equals("tool_call_completed")).toList();
        assertThat(started).extracting(f -> f.event().get("name").asText()).containsExactly("echo", "get_current_time");
        assertThat(completed).allSatisfy(f -> assertThat(f.event().get("ok").asBoolean()).isTrue());
        assertThat(completed.getFirst().event().get("result").asText()).isEqualTo("ping");
        assertThat(completed.get(1).event().get("result").asText()).contains("Europe/Paris");
        assertThat(frames.stream().filter(f -> f.type().equals("step_delta") && f.event().at("/delta/tool_call").isObject()))
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        assertThat(frames.getLast().event().get("output_text").asText()).contains("ping");

        String session = frames.getLast().event().get("session_id").asText();
        List<JsonNode> stored = Stored.steps(user, session);
        assertThat(stored).extracting(s -> s.path("role").asText())
                .containsExactly("user", "assistant", "tool", "tool", "assistant");
        assertThat(Stored.text(stored.get(1), "tool_calls")).contains("echo").contains("get_current_time");
        assertThat(Stored.text(stored.get(2), "tool_call_id")).isNotBlank();
        assertThat(stored.get(2).at("/metrics/tool_exec_time_ms").isNumber()).as("tool execution time stored").isTrue();
        assertThat(Stored.text(stored.get(2), "tool_arguments")).contains("ping");
    }

    @Test
    void aToolThatThrowsBecomesAnErrorTheModelSeesAndTheRunCompletes() {
        List<Frame> frames = sse.chat("assistant", user(),
                Map.of("message", "[[tool:get_current_time {\"timezone\":\"Not/AZone\"}]]"));
        Frame completed = frames.stream().filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow();
        assertThat(completed.event().get("ok").asBoolean()).isFalse();
        assertThat(completed.event().get("error").asText()).contains("Not/AZone");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        assertThat(frames.getLast().event().get("output_text").asText()).contains("ERROR");
    }

    @Test
    void aToolTheAgentDoesNotHaveIsRefusedAsAToolResult() {
        List<Frame> frames = sse.chat("assistant", user(), Map.of("message", "[[tool:launch_rockets {}]]"));
        Frame completed = frames.stream().filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow();
        assertThat(completed.event().get("ok").asBoolean()).isFalse();
        assertThat(completed.event().get("error").asText()).contains("launch_rockets").contains("not available");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
    }

    @Test
    void invalidJsonArgumentsAreReportedToTheModel() {
        List<Frame> frames = sse.chat("assistant", user(), Map.of("message", "[[tool:echo {\"text\": oops]]"));
        Frame completed = frames.stream().filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow();
        assertThat(completed.event().get("ok").asBoolean()).isFalse();
        assertThat(completed.event().get("error").asText()).containsIgnoringCase("argument");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
    }

    @Test
    void maxStepsEndsALoopingRun() {
        List<Frame> frames = sse.chat("assistant", user(), Map.of("message", "[[loop:echo {\"text\":\"again\"}]]"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_completed");
        assertThat(last.event().get("max_steps_reached").asBoolean()).isTrue();
        assertThat(frames.stream().filter(f -> f.type().equals("step_started"))).hasSize(10);
    }

    @Test
    void jsonModeRunsTheTurnAndReturnsTheResult() {
        String user = user();
        JsonPath result = given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("message", "use a tool [[tool:echo {\"text\":\"json-mode\"}]]"))
                .post("/api/agents/assistant/chat").then().statusCode(200)
                .body("status", equalTo("completed")).extract().jsonPath();
        assertThat(result.getString("output_text")).contains("json-mode");
        assertThat(result.getList("tool_calls.name")).containsExactly("echo");
        String session = result.getString("session_id");

        given().header("X-User-Id", user).get("/api/agents/assistant/sessions").then().statusCode(200)
                .body("session_id", hasItem(session));
        given().header("X-User-Id", user).get("/api/agents/assistant/sessions/" + session).then().statusCode(200)
                .body("steps.role", equalTo(List.of("user", "assistant", "tool", "assistant")))
                .body("runs[0].status", equalTo("completed"));
        given().header("X-User-Id", "somebody-else").get("/api/agents/assistant/sessions/" + session).then()
                .statusCode(404).contentType(startsWith("application/problem+json"));
    }

    @Test
    void aReusedRunIdIs409() {
        String runId = UUID.randomUUID().toString();
        String user = user();
        sse.chat("assistant", user, Map.of("message", "first", "run_id", runId));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("message", "again", "run_id", runId)).post("/api/agents/assistant/chat")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString(runId));
    }

    @Test
    void badChatInputIsAProblem() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("message", " "))
                .post("/api/agents/assistant/chat").then().statusCode(422).body("errors.field", hasItem("message"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("message", "hi", "session_id", "nope"))
                .post("/api/agents/assistant/chat").then().statusCode(422).body("errors.field", hasItem("session_id"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("message", "hi"))
                .post("/api/agents/no-such-agent/chat").then().statusCode(404)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("no-such-agent"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("message", "hi"))
                .queryParam("multitask", "shout").post("/api/agents/assistant/chat").then().statusCode(422)
                .body("detail", containsString("multitask"));
        given().contentType(ContentType.JSON).accept("text/event-stream").body(Map.of("message", "hi"))
                .queryParam("on_disconnect", "linger").post("/api/agents/assistant/chat").then().statusCode(422)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("on_disconnect"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(Map.of("session_id", UUID.randomUUID().toString()))
                .post("/api/agents/assistant/stop").then().statusCode(404);
    }
}
