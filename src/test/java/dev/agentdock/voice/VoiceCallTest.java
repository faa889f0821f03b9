package dev.agentdock.voice;

import static dev.agentdock.RealtimeProbe.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.RealtimeProbe;
import dev.agentdock.RedisPeer;
import dev.agentdock.SocketProbe;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The service on a voice call, end to end on the wire: a browser-side socket on a simulated Realtime call (as the
 * Agents SDK's WebSocket transport holds it), the service attached by call id over the call's sideband, the session's
 * orchestration socket, and the stored steps.
 */
@QuarkusTest
class VoiceCallTest {

    static final String AUTHENTICATE = "[[tool:authenticate_customer {\"phoneNumber\":\"2065550142\",\"dateOfBirth\":\"1988-04-12\"}]]";
    static final String LOOKUP = "[[tool:lookup_order {\"orderId\":\"ORD-1001\"}]]";

    @TestHTTPResource("/")
    URI base;

    @jakarta.inject.Inject
    javax.sql.DataSource db;

    record Voice(String user, String sessionId, String callId, RealtimeProbe browser, SocketProbe socket)
            implements AutoCloseable {
        @Override
        public void close() {
            browser.close();
            socket.close();
        }
    }

    /** A retail voice session from /api/session2, its browser on a call, and (if asked) the service attached. */
    private Voice open(boolean attach) {
        return open(base, "customer-service-retail", "authentication", attach);
    }

    /** A voice session of {@code scenario} whose root is {@code root}, its browser on a call, the service attached if asked. */
    static Voice open(URI base, String scenario, String root, boolean attach) {
        String user = "voice-" + UUID.randomUUID();
        JsonPath init = given().header("X-User-Id", user).get("/api/session2?scenario_id=" + scenario)
                .then().statusCode(200).extract().jsonPath();
        String sessionId = init.getString("session_id");
        RealtimeProbe browser = RealtimeProbe.open(base, "/v1/realtime?model=gpt-realtime",
                init.getString("ephemeral_key.value"));
        String callId = browser.headers().get("x-sim-call-id");
        SocketProbe socket = SocketProbe.open(base, "/ws/sessions/" + sessionId, user);
        if (attach) {
            given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("call_id", callId))
                    .post("/api/sessions/" + sessionId + "/realtime/call").then().statusCode(200)
                    .body("call_id", equalTo(callId)).body("status", equalTo("attached"))
                    .body("held_by", notNullValue()).body("active_agent", equalTo(root));
        }
        return new Voice(user, sessionId, callId, browser, socket);
    }

    static void say(String callId, String utterance) {
        given().contentType(ContentType.JSON).auth().oauth2("sk-test").body(Map.of("utterance", utterance))
                .post("/v1/realtime/calls/" + callId + "/simulate").then().statusCode(200);
    }

    static JsonNode output(RealtimeProbe browser, String toolName) {
        JsonNode call = browser.awaitEvent("response.function_call_arguments.done",
                e -> e.path("name").asText().equals(toolName));
        return browser.awaitEvent("conversation.item.added", e -> e.at("/item/type").asText().equals("function_call_output")
                && e.at("/item/call_id").asText().equals(call.path("call_id").asText())).path("item");
    }

    static JsonNode frame(SocketProbe socket, String type, java.util.function.Predicate<JsonNode> matching) {
        await().atMost(Duration.ofSeconds(15)).until(() -> socket.ofType(type).stream().anyMatch(matching));
        return socket.ofType(type).stream().filter(matching).findFirst().orElseThrow();
    }

    @Test
    void anUtteranceBecomesAToolCallTheServiceRunsAndTheCallAndTheTimelineGetIt() {
        try (Voice v = open(true)) {
            say(v.callId, "my number is 206 555 0142, born 1988-04-12 " + AUTHENTICATE);
            JsonNode output = output(v.browser, "authenticate_customer");
            assertThat(output.path("output").asText()).contains("C-1001").contains("Maya Lindqvist");
            v.browser.awaitEvent("response.output_audio_transcript.done",
                    e -> e.path("transcript").asText().startsWith("The tool answered: {"));
            JsonNode result = frame(v.socket, "tool_result", f -> f.at("/data/name").asText().equals("authenticate_customer"));
            assertThat(result.at("/data/ok").asBoolean()).isTrue();
            assertThat(result.at("/data/call_id").asText()).isEqualTo(v.callId);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().header("X-User-Id", v.user)
                    .get("/api/sessions/" + v.sessionId + "/steps").then().statusCode(200)
                    .body("steps.role", equalTo(List.of("user", "assistant", "tool", "assistant"))));
            JsonPath steps = given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/steps")
                    .then().extract().jsonPath();
            assertThat(steps.getString("steps[0].content")).startsWith("my number is 206 555 0142");
            assertThat(steps.getString("steps[2].content")).contains("C-1001");
            assertThat(steps.getString("steps[3].content")).startsWith("The tool answered:");

            // a text turn afterwards gets the voice part as context
            JsonPath context = given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/context")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(context.getList("messages.role", String.class)).containsExactly("system", "user", "assistant",
                    "tool", "assistant");
            assertThat(context.getString("messages[2].tool_calls[0].function.name")).isEqualTo("authenticate_customer");

            // the events are stored once, whatever arrives twice
            say(v.callId, "thanks");
            v.browser.awaitEvent("response.output_audio_transcript.done", e -> e.path("transcript").asText()
                    .equals("You said: thanks"));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().header("X-User-Id", v.user)
                    .get("/api/sessions/" + v.sessionId + "/summary").then().body("total_steps", equalTo(6)));
        }
    }

    @Test
    void aFunctionCallWithArgumentsOutsideTheToolsSchemaIsAnsweredAsSuchAndTheToolDoesNotRun() {
        try (Voice v = open(true)) {
            say(v.callId, "my number is 206 555 0142 [[tool:authenticate_customer {\"phoneNumber\":2065550142}]]");
            String output = output(v.browser, "authenticate_customer").path("output").asText();
            assertThat(output).startsWith("ERROR: arguments do not match the parameters of tool 'authenticate_customer'")
                    .contains("arguments.dateOfBirth").doesNotContain("C-1001");
            JsonNode result = frame(v.socket, "tool_result", f -> f.at("/data/name").asText().equals("authenticate_customer"));
            assertThat(result.at("/data/ok").asBoolean()).isFalse();
            assertThat(result.at("/data/error").asText()).contains("arguments.dateOfBirth");
            // the stored tool step is the refusal, as the call heard it
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().header("X-User-Id", v.user)
                    .get("/api/sessions/" + v.sessionId + "/steps").then().statusCode(200)
                    .body("steps.role", equalTo(List.of("user", "assistant", "tool", "assistant"))));
            assertThat(given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/steps")
                    .then().extract().jsonPath().getString("steps[2].content")).contains("arguments.dateOfBirth");
        }
    }

    @Test
    void aHandoffOnTheCallSwitchesTheActiveAgentAndItsToolsAndApprovalsApply() {
        try (Voice v = open(true)) {
            say(v.callId, "where is my order " + LOOKUP);
            assertThat(output(v.browser, "lookup_order").path("output").asText())
                    .isEqualTo("ERROR: tool 'lookup_order' is not allowed for agent 'authentication'");
            assertThat(frame(v.socket, "tool_result", f -> f.at("/data/name").asText().equals("lookup_order"))
                    .at("/data/ok").asBoolean()).isFalse();
            // orders are for the verified caller: the authentication agent verifies them on the call's session
            say(v.callId, "my number is 206 555 0142, born 1988-04-12 " + AUTHENTICATE);
            assertThat(output(v.browser, "authenticate_customer").path("output").asText()).contains("C-1001");

            say(v.callId, "I want to return something [[handoff:returns]]");
            JsonNode transfer = v.browser.awaitEvent("response.function_call_arguments.done",
                    e -> e.path("name").asText().equals("transfer_to_returns"));
            JsonNode switched = frame(v.socket, "agent_switch", f -> f.at("/data/to").asText().equals("returns"));
            assertThat(switched.at("/data/from").asText()).isEqualTo("authentication");
            assertThat(switched.at("/data/decided_by").asText()).isEqualTo("handoff");
            // what the Agents SDK does next: answer the transfer, switch the session, go on
            v.browser.send(event("conversation.item.create", Map.of("item", Map.of("type", "function_call_output",
                    "call_id", transfer.path("call_id").asText(), "output", "{\"assistant\":\"returns\"}"))));
            v.browser.send(event("session.update", Map.of("session", Map.of("type", "realtime",
                    "instructions", "You handle returns."))));
            given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/realtime/calls/" + v.callId)
                    .then().statusCode(200).body("active_agent", equalTo("returns"));

            v.browser.events.clear();
            say(v.callId, "where is my order " + LOOKUP);
            assertThat(output(v.browser, "lookup_order").path("output").asText()).contains("\"TENT-2P\"");

            // an approval tool waits for a human
            say(v.callId, "return the tent [[tool:process_return {\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]");
            JsonNode asked = frame(v.socket, "approval_required", f -> f.at("/data/name").asText().equals("process_return"));
            String toolCallId = asked.at("/data/tool_call_id").asText();
            assertThat(v.browser.ofType("conversation.item.added").stream()
                    .filter(e -> e.at("/item/call_id").asText().equals(toolCallId))
                    .filter(e -> e.at("/item/type").asText().equals("function_call_output"))).isEmpty();
            String approve = "/api/sessions/" + v.sessionId + "/realtime/calls/" + v.callId + "/approve";
            given().contentType(ContentType.JSON).header("X-User-Id", "intruder")
                    .body(Map.of("tool_call_id", toolCallId, "approved", true)).post(approve).then().statusCode(404);
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("tool_call_id", "call_nope", "approved", true)).post(approve).then().statusCode(404);
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("tool_call_id", toolCallId, "approved", true)).post(approve).then().statusCode(200)
                    .body("approved", equalTo(true));
            assertThat(output(v.browser, "process_return").path("output").asText()).contains("RMA-1001-");
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("tool_call_id", toolCallId, "approved", false)).post(approve).then().statusCode(409)
                    .contentType("application/problem+json");

            // a handoff the scenario's graph does not have changes nothing
            say(v.callId, "[[handoff:nobody]]");
            v.browser.awaitEvent("response.function_call_arguments.done", e -> e.path("name").asText().equals("transfer_to_nobody"));
            say(v.callId, "still there? " + LOOKUP);
            await().atMost(Duration.ofSeconds(15)).until(() -> v.socket.ofType("tool_result").stream()
                    .filter(f -> f.at("/data/name").asText().equals("lookup_order")).count() == 3);
            given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/realtime/calls/" + v.callId)
                    .then().body("active_agent", equalTo("returns"));
        }
    }

    @Test
    void pendingApprovalsOfTheCallAreListedForTheOwnerAndAnApprovedOneIsAnsweredOnTheCall() {
        try (Voice v = open(true)) {
            String approvals = "/api/sessions/" + v.sessionId + "/realtime/approvals";
            given().header("X-User-Id", v.user).get(approvals).then().statusCode(200)
                    .body("approvals", org.hamcrest.Matchers.empty());
            say(v.callId, "my number is 206 555 0142, born 1988-04-12 " + AUTHENTICATE);
            output(v.browser, "authenticate_customer");
            say(v.callId, "I want to return something [[handoff:returns]]");
            frame(v.socket, "agent_switch", f -> f.at("/data/to").asText().equals("returns"));

            say(v.callId, "return the tent [[tool:process_return {\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]");
            String toolCallId = frame(v.socket, "approval_required", f -> f.at("/data/name").asText().equals("process_return"))
                    .at("/data/tool_call_id").asText();
            JsonPath pending = given().header("X-User-Id", v.user).get(approvals).then().statusCode(200)
                    .contentType(ContentType.JSON).extract().jsonPath();
            assertThat(pending.getList("approvals.tool_call_id", String.class)).containsExactly(toolCallId);
            assertThat(pending.getString("approvals[0].call_id")).isEqualTo(v.callId);
            assertThat(pending.getString("approvals[0].name")).isEqualTo("process_return");
            assertThat(pending.getString("approvals[0].arguments.sku")).isEqualTo("TENT-2P");
            assertThat(pending.getString("approvals[0].created_at")).isNotBlank();
            // the owner's only; a bad id is a 422
            given().header("X-User-Id", "intruder").get(approvals).then().statusCode(404)
                    .contentType("application/problem+json");
            given().header("X-User-Id", v.user).get("/api/sessions/not-an-id/realtime/approvals").then()
                    .statusCode(422).contentType("application/problem+json");
            given().header("X-User-Id", v.user).get("/api/sessions/" + UUID.randomUUID() + "/realtime/approvals")
                    .then().statusCode(404);

            // decided through the approve route: the output goes on the call, then a response is asked for
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("tool_call_id", pending.getString("approvals[0].tool_call_id"), "approved", true))
                    .post("/api/sessions/" + v.sessionId + "/realtime/calls/" + v.callId + "/approve")
                    .then().statusCode(200);
            JsonNode answered = output(v.browser, "process_return");
            assertThat(answered.path("output").asText()).contains("RMA-1001-");
            int outputAt = v.browser.events.indexOf(v.browser.ofType("conversation.item.added").stream()
                    .filter(e -> e.at("/item/call_id").asText().equals(toolCallId)).findFirst().orElseThrow());
            await().atMost(Duration.ofSeconds(15)).until(() -> v.browser.events.subList(outputAt, v.browser.events.size())
                    .stream().anyMatch(e -> e.path("type").asText().equals("response.created")));
            given().header("X-User-Id", v.user).get(approvals).then().statusCode(200)
                    .body("approvals", org.hamcrest.Matchers.empty());
        }
    }

    @Test
    void anOrchestratedSwitchIsSentToTheCallAsASessionUpdateWithTheNewAgentsInstructionsAndTools() {
        try (Voice v = open(true)) {
            JsonPath agents = given().header("X-User-Id", v.user).get("/api/scenarios/customer-service-retail")
                    .then().statusCode(200).extract().jsonPath();
            v.browser.events.clear();
            JsonPath decision = given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("session_id", v.sessionId, "scenario_id", "customer-service-retail",
                            "last_user_message", "sales please: product stock, prices and the nearest store"))
                    .post("/api/orchestrate").then().statusCode(200).body("switched", equalTo(true))
                    .extract().jsonPath();
            String to = decision.getString("root_agent");
            String instructions = agents.getString("agents.find { it.name == '" + to + "' }.instructions");
            assertThat(instructions).isNotBlank();
            // the service's sideband sent it: the browser did nothing, yet the call now speaks as the chosen agent
            JsonNode updated = v.browser.awaitEvent("session.updated",
                    e -> e.at("/session/instructions").asText().equals(instructions));
            List<String> tools = new java.util.ArrayList<>();
            updated.at("/session/tools").forEach(t -> tools.add(t.path("name").asText()));
            assertThat(tools).containsAll(agents.getList("agents.find { it.name == '" + to + "' }.tools.name", String.class));
            assertThat(frame(v.socket, "agent_switch", f -> f.at("/data/to").asText().equals(to))
                    .at("/data/decided_by").asText()).isNotEqualTo("handoff");
            given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/realtime/calls/" + v.callId)
                    .then().statusCode(200).body("active_agent", equalTo(to));

            // nothing more is sent while the choice stands (the renewal pass compares, it does not repeat)
            v.browser.events.clear();
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(v.browser.ofType("session.updated")).isEmpty();
        }
    }

    @Test
    void aContinuedSessionGetsItsHistoryAsConversationItemsAndTheNextCallIsSeededWithThem() {
        try (Voice v = open(true)) {
            say(v.callId, "my number is 206 555 0142, born 1988-04-12 " + AUTHENTICATE);
            output(v.browser, "authenticate_customer");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().header("X-User-Id", v.user)
                    .get("/api/sessions/" + v.sessionId + "/summary").then().body("total_steps", equalTo(4)));
            v.browser.close();

            JsonPath again = given().header("X-User-Id", v.user)
                    .get("/api/session2?scenario_id=customer-service-retail&session_id=" + v.sessionId)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(again.getString("session_id")).isEqualTo(v.sessionId);
            assertThat(again.getString("root_agent")).isEqualTo("authentication");
            assertThat(again.getList("history.type", String.class))
                    .containsExactly("message", "function_call", "function_call_output", "message");
            assertThat(again.getList("history.role", String.class)).containsExactly("user", null, null, "assistant");
            assertThat(again.getString("history[0].content[0].type")).isEqualTo("input_text");
            assertThat(again.getString("history[0].content[0].text")).startsWith("my number is 206 555 0142");
            assertThat(again.getString("history[1].name")).isEqualTo("authenticate_customer");
            assertThat(again.getString("history[2].call_id")).isEqualTo(again.getString("history[1].call_id"));
            assertThat(again.getString("history[2].output")).contains("C-1001");
            assertThat(again.getString("history[3].content[0].type")).isEqualTo("output_text");

            // the next call: the service, attached, puts the earlier turns on it before anything is said
            try (RealtimeProbe browser = RealtimeProbe.open(base, "/v1/realtime?model=gpt-realtime",
                    again.getString("ephemeral_key.value"))) {
                String callId = browser.headers().get("x-sim-call-id");
                given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of("call_id", callId))
                        .post("/api/sessions/" + v.sessionId + "/realtime/call").then().statusCode(200);
                List<String> ids = again.getList("history.id", String.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> browser.ofType("conversation.item.added").stream()
                        .map(e -> e.at("/item/id").asText()).toList().containsAll(ids));
                assertThat(browser.ofType("conversation.item.added").stream().map(e -> e.at("/item/id").asText())
                        .filter(ids::contains).toList()).isEqualTo(ids);
                // echoed back, they are not stored twice
                await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/summary")
                                .then().body("total_steps", equalTo(4)));
            }

            given().header("X-User-Id", "someone-else")
                    .get("/api/session2?scenario_id=customer-service-retail&session_id=" + v.sessionId)
                    .then().statusCode(404).contentType("application/problem+json");
            given().header("X-User-Id", v.user)
                    .get("/api/session2?scenario_id=simple-handoff&session_id=" + v.sessionId)
                    .then().statusCode(422).contentType("application/problem+json");
            given().header("X-User-Id", v.user)
                    .get("/api/session2?scenario_id=customer-service-retail&session_id=not-an-id")
                    .then().statusCode(422).contentType("application/problem+json");
        }
    }

    @Test
    void toolsExecuteForAVoiceSessionOnlyAnswersAFunctionCallTheModelMade() {
        try (Voice v = open(true)) {
            Map<String, Object> arguments = Map.of("phoneNumber", "2065550142", "dateOfBirth", "1988-04-12");
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("name", "authenticate_customer", "arguments", arguments, "session_id", v.sessionId,
                            "call_id", "call_forged")).post("/api/tools/execute")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("call_forged"));
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("name", "authenticate_customer", "arguments", arguments, "session_id", v.sessionId))
                    .post("/api/tools/execute").then().statusCode(403).body("detail", containsString("call_id"));

            say(v.callId, AUTHENTICATE);
            JsonNode call = v.browser.awaitEvent("response.function_call_arguments.done",
                    e -> e.path("name").asText().equals("authenticate_customer"));
            String callId = call.path("call_id").asText();
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("name", "authenticate_customer", "arguments", Map.of("phoneNumber", "4155550187",
                            "dateOfBirth", "1979-11-30"), "session_id", v.sessionId, "call_id", callId))
                    .post("/api/tools/execute").then().statusCode(403);
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("name", "escalate_to_human", "arguments", Map.of(), "session_id", v.sessionId,
                            "call_id", callId)).post("/api/tools/execute").then().statusCode(403);
            given().contentType(ContentType.JSON).header("X-User-Id", v.user)
                    .body(Map.of("name", "authenticate_customer", "arguments", arguments, "session_id", v.sessionId,
                            "call_id", callId)).post("/api/tools/execute")
                    .then().statusCode(200).body("ok", equalTo(true)).body("result", containsString("C-1001"));
            // the browser's request got the service's result: the tool ran once, its output reached the call once
            output(v.browser, "authenticate_customer");
            assertThat(v.browser.ofType("conversation.item.added").stream()
                    .filter(e -> e.at("/item/type").asText().equals("function_call_output"))).hasSize(1);
        }
    }

    @Test
    void attachingRefusesBadAndUnknownCallsAndOtherUsers() {
        try (Voice v = open(false)) {
            String path = "/api/sessions/" + v.sessionId + "/realtime/call";
            given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of("call_id", "rtc_sim_unknown" + UUID.randomUUID().toString().replace("-", "")))
                    .post(path).then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", hasItem("call_id"));
            given().header("X-User-Id", v.user).get("/api/sessions/" + v.sessionId + "/realtime/calls/rtc_sim_unknown")
                    .then().statusCode(404);
            given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of("call_id", "../x y"))
                    .post(path).then().statusCode(422).body("errors.field", hasItem("call_id"));
            given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of())
                    .post(path).then().statusCode(422);
            given().contentType(ContentType.JSON).header("X-User-Id", "intruder").body(Map.of("call_id", v.callId))
                    .post(path).then().statusCode(404);
            given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of("call_id", v.callId))
                    .post(path).then().statusCode(200);
            String other = given().header("X-User-Id", v.user).get("/api/session2?scenario_id=customer-service-retail")
                    .then().statusCode(200).extract().path("session_id");
            given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of("call_id", v.callId))
                    .post("/api/sessions/" + other + "/realtime/call").then().statusCode(409);
        }
    }

    /**
     * Attaches a call whose lease names an instance that stopped renewing it (it died), then waits until this instance
     * took it over; returns the call's view path.
     */
    private static String attachHeldByADeadInstance(Voice v) {
        RedisPeer.command("SET", CallLease.PREFIX + v.callId, "dead-instance", "PX", "1500");
        given().contentType(ContentType.JSON).header("X-User-Id", v.user).body(Map.of("call_id", v.callId))
                .post("/api/sessions/" + v.sessionId + "/realtime/call").then().statusCode(200)
                .body("held_by", equalTo("dead-instance"));
        String view = "/api/sessions/" + v.sessionId + "/realtime/calls/" + v.callId;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().header("X-User-Id", v.user).get(view)
                .then().body("held_by", notNullValue()).body("held_by", org.hamcrest.Matchers.not("dead-instance")));
        return view;
    }

    @Test
    void aCallWhoseHolderStopsRenewingIsTakenOverAndItsEndIsRecorded() {
        try (Voice v = open(false)) {
            // another instance holds the call and stops renewing (it died): its lease runs out
            String view = attachHeldByADeadInstance(v);

            say(v.callId, AUTHENTICATE);
            output(v.browser, "authenticate_customer");
            v.browser.awaitType("response.output_audio_transcript.done");
            assertThat(v.browser.ofType("conversation.item.added").stream()
                    .filter(e -> e.at("/item/type").asText().equals("function_call_output"))).hasSize(1);

            given().auth().oauth2("sk-test").post("/v1/realtime/calls/" + v.callId + "/hangup").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().header("X-User-Id", v.user).get(view)
                    .then().body("status", equalTo("ended")).body("end_reason", equalTo("call_gone")));
            assertThat(RedisPeer.command("GET", CallLease.PREFIX + v.callId)).isNull();
        }
    }

    @Test
    void aCallIsTakenOverHoweverManyOlderCallsOtherInstancesHold() throws Exception {
        try (Voice v = open(false)) {
            // more attached calls than one scan page, all older, all held by an instance that is alive
            List<String> others = java.util.stream.IntStream.range(0, AttachedCalls.SCAN_PAGE + 5)
                    .mapToObj(i -> "rtc_held_elsewhere_" + UUID.randomUUID().toString().replace("-", "")).toList();
            try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO ai_agent_voice_calls (call_id, session_id, user_id, status, created_at)
                    VALUES (?, ?, ?, 'attached', now() - interval '1 hour')""")) {
                for (String id : others) {
                    insert.setString(1, id);
                    insert.setObject(2, UUID.fromString(v.sessionId));
                    insert.setString(3, v.user);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try {
                for (String id : others) {
                    RedisPeer.command("SET", CallLease.PREFIX + id, "live-instance", "PX", "120000");
                }
                String view = attachHeldByADeadInstance(v);
                // held elsewhere is left alone
                assertThat(RedisPeer.command("GET", CallLease.PREFIX + others.getFirst())).isEqualTo("live-instance");
            } finally {
                try (Connection c = db.getConnection(); PreparedStatement end = c.prepareStatement(
                        "UPDATE ai_agent_voice_calls SET status = 'ended', end_reason = 'test' WHERE call_id = ANY (?)")) {
                    end.setArray(1, c.createArrayOf("varchar", others.toArray()));
                    end.executeUpdate();
                }
                for (String id : others) {
                    RedisPeer.del(CallLease.PREFIX + id);
                }
            }
        }
    }

    @Test
    void speechThatTripsTheOutputGuardrailIsCancelledOnTheCallAndStoredAsTripped() {
        try (Voice v = open(true)) {
            say(v.callId, "tell me a story [[say:Sure. Here is a story about how to build a bomb from kitchen parts, "
                    + "and it goes on for a good while longer than this, with many more words to come.]] [[slow:150]]");
            JsonNode tripped = frame(v.socket, "guardrail_tripped", f -> f.at("/data/stage").asText().equals("output"));
            assertThat(tripped.at("/data/action").asText()).isEqualTo("block");
            assertThat(tripped.at("/data/call_id").asText()).isEqualTo(v.callId);
            JsonNode done = v.browser.awaitEvent("response.done", e -> e.at("/response/status").asText().equals("cancelled"));
            assertThat(done.at("/response/status_details/reason").asText()).isEqualTo("client_cancelled");
            assertThat(v.browser.ofType("response.output_audio_transcript.done")).isEmpty();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().header("X-User-Id", v.user)
                    .get("/api/sessions/" + v.sessionId + "/steps").then()
                    .body("steps.role", equalTo(List.of("user", "assistant")))
                    .body("steps[1].error", equalTo("guardrail_tripped"))
                    .body("steps[1].interrupted", equalTo(true))
                    .body("steps[0].error", org.hamcrest.Matchers.nullValue()));
        }
    }

    @Test
    void aUserTranscriptionThatTripsTheInputGuardrailStopsTheAnswer() {
        try (Voice v = open(true)) {
            say(v.callId, "how do I build a bomb [[slow:500]]");
            JsonNode tripped = frame(v.socket, "guardrail_tripped", f -> f.at("/data/stage").asText().equals("input"));
            assertThat(tripped.at("/data/action").asText()).isEqualTo("block");
            v.browser.awaitEvent("response.done", e -> e.at("/response/status").asText().equals("cancelled"));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().header("X-User-Id", v.user)
                    .get("/api/sessions/" + v.sessionId + "/steps").then()
                    .body("steps[0].role", equalTo("user")).body("steps[0].error", equalTo("guardrail_tripped")));
        }
    }

    @Test
    void theServiceCreatesTheCallFromTheBrowsersOfferAndJoinsIt() {
        String user = "voice-" + UUID.randomUUID();
        String sessionId = given().header("X-User-Id", user).get("/api/session2?scenario_id=customer-service-retail")
                .then().statusCode(200).extract().path("session_id");
        String path = "/api/sessions/" + sessionId + "/realtime/calls";
        io.restassured.response.Response created = RealtimeProbe.sdp()
                .header("X-User-Id", user).body(RealtimeProbe.OFFER).post(path);
        created.then().statusCode(201).contentType("application/sdp")
                .header("Location", org.hamcrest.Matchers.matchesPattern("(https?://[^/]+)?" + path + "/rtc_sim_[A-Za-z0-9]+"));
        assertThat(created.asString()).startsWith("v=0\r\n").contains("m=audio ", "a=mid:1");
        String location = created.header("Location");
        String callId = location.substring(location.lastIndexOf('/') + 1);
        given().header("X-User-Id", user).get(location).then().statusCode(200)
                .body("status", equalTo("attached")).body("held_by", notNullValue());

        // the call started with the active agent's config, and the service runs its tools
        try (RealtimeProbe observer = RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, "sk-test")) {
            JsonNode session = observer.awaitType("session.created").path("session");
            assertThat(session.path("instructions").asText()).isNotBlank();
            assertThat(session.path("tools").findValuesAsText("name")).contains("authenticate_customer", "transfer_to_returns");
            assertThat(session.at("/audio/input/transcription/model").asText()).isEqualTo("gpt-4o-mini-transcribe");
            say(callId, AUTHENTICATE);
            assertThat(output(observer, "authenticate_customer").path("output").asText()).contains("C-1001");
        }

        RealtimeProbe.sdp().header("X-User-Id", user).body("hello").post(path)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("sdp"));
        RealtimeProbe.sdp().header("X-User-Id", "intruder")
                .body(RealtimeProbe.OFFER).post(path).then().statusCode(404);
        given().header("X-User-Id", "intruder").get(location).then().statusCode(404);
    }
}
