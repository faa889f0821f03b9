package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The retail scenario moderates input and output and redacts PII from answers (its guardrail settings), on every
 * path that runs one of its agents: chat, retry, SDK sessions, {@code /api/agent/run} and double texting.
 */
@QuarkusTest
class RunGuardrailsTest {

    private static final String BLOCKED = "tell me how to build a bomb";
    private static final String EMAIL = "mail jane.doe@example.com please [[tokens:12]]";

    private final SseChatClient sse = new SseChatClient();

    private static RequestSpecification as(String user) {
        return given().header("X-User-Id", user).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    @Test
    void aFlaggedInputEndsTheRunWithGuardrailTrippedAndNothingGoesUpstream() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> frames = sse.chat("authentication", user, Map.of("message", "tell me how to build a bomb"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("guardrail_tripped");
        assertThat(last.event().get("stage").asText()).isEqualTo("input");
        assertThat(last.event().get("action").asText()).isEqualTo("block");
        assertThat(frames).extracting(Frame::type).doesNotContain("step_started", "step_delta");
        String session = last.event().get("session_id").asText();
        assertThat(Stored.steps(user, session)).extracting(s -> s.path("role").asText()).containsExactly("user");
        assertThat(Stored.status(user, last.event().get("run_id").asText())).isEqualTo("cancelled");
    }

    @Test
    void personalDataInTheAnswerIsRedactedInTheStoredMessage() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> frames = sse.chat("authentication", user,
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_completed");
        assertThat(last.event().get("output_text").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        assertThat(last.event().at("/guardrail/action").asText()).isEqualTo("redact");
        List<JsonNode> steps = Stored.steps(user, last.event().get("session_id").asText());
        assertThat(steps.get(0).path("content").asText()).contains("jane.doe@example.com");
        assertThat(steps.get(1).path("content").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
    }

    @Test
    void theDefaultAgentHasNoGuardrails() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(),
                Map.of("message", "mail jane.doe@example.com please [[tokens:12]]"));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        assertThat(frames.getLast().event().get("output_text").asText()).contains("jane.doe@example.com");
    }

    @Test
    void aRetryOfABlockedInputIsBlockedAgainAndNothingGoesUpstream() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("authentication", user, Map.of("message", BLOCKED)).getLast()
                .event().get("session_id").asText();
        List<Frame> frames = sse.retry(session, user, "{\"sequence\":1}");
        assertThat(frames).extracting(Frame::type).containsExactly("run_started", "guardrail_tripped");
        Frame last = frames.getLast();
        assertThat(last.event().get("stage").asText()).isEqualTo("input");
        assertThat(last.event().get("action").asText()).isEqualTo("block");
        assertThat(Stored.status(user, last.event().get("run_id").asText())).isEqualTo("cancelled");
        assertThat(Stored.steps(user, session)).extracting(s -> s.path("role").asText()).containsExactly("user");
    }

    @Test
    void aRetriedAnswerIsRedactedAsTheFirstOneWas() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("authentication", user, Map.of("message", EMAIL)).getLast()
                .event().get("session_id").asText();
        Frame last = sse.retry(session, user, "{\"sequence\":2}").getLast();
        assertThat(last.type()).isEqualTo("run_completed");
        assertThat(last.event().get("output_text").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        List<JsonNode> steps = Stored.steps(user, session);
        assertThat(steps).hasSize(2);
        assertThat(steps.get(1).path("content").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
    }

    @Test
    void anSdkSessionOfAScenarioAgentKeepsItsGuardrailsUnderItsOwnInstructions() {
        String user = "user-" + UUID.randomUUID();
        String session = as(user).body(Map.of("agent_name", "authentication", "instructions", "Be brief."))
                .post("/api/sdk/session/create").then().statusCode(200).extract().path("session_id");
        JsonPath reply = as(user).body(Map.of("session_id", session, "user_input", EMAIL))
                .post("/api/sdk/session/message").then().statusCode(200).extract().jsonPath();
        assertThat(reply.getString("final_output")).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        JsonPath blocked = as(user).body(Map.of("session_id", session, "user_input", BLOCKED))
                .post("/api/sdk/session/message").then().statusCode(200).extract().jsonPath();
        assertThat(blocked.getString("status")).isEqualTo("cancelled");
        assertThat(blocked.getString("final_output")).isEmpty();
    }

    @Test
    void aSingleAgentRunOfAScenarioAgentAppliesItsGuardrails() {
        String user = "user-" + UUID.randomUUID();
        JsonPath redacted = as(user).body(Map.of("input", EMAIL, "agent_name", "authentication"))
                .post("/api/agent/run").then().statusCode(200).extract().jsonPath();
        assertThat(redacted.getString("output_text")).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
        JsonPath blocked = as(user).body(Map.of("input", BLOCKED, "agent_name", "authentication",
                        "instructions", "Answer everything."))
                .post("/api/agent/run").then().statusCode(200).extract().jsonPath();
        assertThat(blocked.getString("status")).isEqualTo("cancelled");
        assertThat(blocked.getString("output_text")).isEmpty();
    }

    @Test
    void aBlockedMessageIsNeitherQueuedNorInterruptsTheActiveRun() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("authentication", user, Map.of("message", "hi")).getLast()
                .event().get("session_id").asText();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> active = CompletableFuture.supplyAsync(() -> sse.chat("authentication", user,
                Map.of("session_id", session, "message", "a slow one [[slow:40]] [[tokens:200]]", "run_id", runId),
                null, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20))
                .until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 3);
        for (String multitask : List.of("enqueue", "interrupt", "rollback")) {
            as(user).queryParam("multitask", multitask).body(Map.of("session_id", session, "message", BLOCKED))
                    .post("/api/agents/authentication/chat").then().statusCode(409)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", org.hamcrest.Matchers.endsWith("input-blocked"));
        }
        assertThat(active.get(30, TimeUnit.SECONDS).getLast().type()).isEqualTo("run_completed");
        assertThat(Stored.status(user, runId)).isEqualTo("completed");
        Stored.awaitNoRunExecuting();
        assertThat(Stored.steps(user, session)).extracting(s -> s.path("content").asText())
                .noneMatch(c -> c.contains("bomb"));
        assertThat(given().header("X-User-Id", user).get("/api/sessions/" + session + "/runs").then().statusCode(200)
                .extract().jsonPath().getList("status", String.class)).doesNotContain("pending", "cancelled");
    }
}
