package dev.agentdock.run.approval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.InProcessOnly;
import dev.agentdock.RedisPeer;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.Stored;
import dev.agentdock.run.events.RunEventRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Approvals, on the retail scenario's returns agent: its {@code process_return} waits for a human's decision (a
 * shipped agent, so this runs against the packaged jar too).
 */
@QuarkusTest
class ToolApprovalTest {

    private static final String AGENT = "returns";

    private final SseChatClient sse = new SseChatClient();

    /** {@code before}: the steps of the session before the paused turn (the caller's verification). */
    private record Paused(String user, String runId, String session, String callId, int before) {
    }

    private Paused pausedRun() {
        String user = "user-" + UUID.randomUUID();
        // returns are for the session's verified customer: the caller is verified in the session first
        String session = UUID.randomUUID().toString();
        dev.agentdock.TestCustomers.verifyAsMaya(user, session);
        int before = Stored.steps(user, session).size();
        List<Frame> frames = sse.chat(AGENT, user, Map.of("session_id", session, "message", "return the tent please [[tool:process_return "
                + "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_paused");
        assertThat(last.event().at("/pending_tool_calls/0/name").asText()).isEqualTo("process_return");
        String runId = last.event().get("run_id").asText();
        assertThat(Stored.status(user, runId)).isEqualTo("paused");
        // a run paused for a decision waits in the database: nothing executes it on the instance meanwhile
        Stored.awaitNoRunExecuting();
        assertThat(Stored.status(user, runId)).isEqualTo("paused");
        // its relayed events keep the live TTL (1 h), not the short one of an ended run: it resumes into them
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() ->
                (Long) RedisPeer.command("TTL", RunEventRelay.key(UUID.fromString(runId))) > 3_000L);
        return new Paused(user, runId, last.event().get("session_id").asText(),
                last.event().at("/pending_tool_calls/0/tool_call_id").asText(), before);
    }

    private io.restassured.response.ValidatableResponse approve(Paused p, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("X-User-Id", p.user()).body(body)
                .post("/api/runs/" + p.runId() + "/approve").then();
    }

    /**
     * The reviewer corrects the order the model picked: the edited call runs, and its answer (this order is past
     * the return window, where the original one would have been accepted) reaches the model when the run resumes.
     */
    @Test
    void anApprovedCallRunsWithEditedArgumentsAndTheRunResumesFromStoredSteps() {
        Paused p = pausedRun();
        approve(p, Map.of("tool_call_id", p.callId(), "approved", true,
                "arguments", Map.of("orderId", "ORD-1002", "sku", "JKT-RAIN-M", "reason", "changed my mind")))
                .statusCode(200).body("resumed", equalTo(true));

        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> Stored.status(p.user(), p.runId()).equals("completed"));
        List<JsonNode> all = Stored.steps(p.user(), p.session());
        List<JsonNode> stored = all.subList(p.before(), all.size());
        assertThat(stored).extracting(s -> s.path("role").asText()).containsExactly("user", "assistant", "tool", "assistant");
        String outcome = "ERROR: the return cannot be processed: delivered 45 days ago, past the 30-day window";
        assertThat(stored.get(2).path("content").asText()).startsWith(outcome);
        assertThat(stored.get(2).path("error").asText()).contains("past the 30-day window");
        assertThat(stored.get(3).path("content").asText()).contains("process_return=" + outcome);

        List<Frame> rest = sse.rejoin(p.runId(), p.user(), null);
        assertThat(rest.getLast().type()).isEqualTo("run_completed");
        approve(p, Map.of("tool_call_id", p.callId(), "approved", true)).statusCode(409);
    }

    @Test
    void aRejectedCallTellsTheModelAndASecondDecisionIs409() {
        Paused p = pausedRun();
        approve(p, Map.of("tool_call_id", p.callId(), "approved", false)).statusCode(200);
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> Stored.status(p.user(), p.runId()).equals("completed"));
        JsonNode tool = Stored.step(p.user(), p.session(), p.before() + 3);
        assertThat(tool.path("role").asText()).isEqualTo("tool");
        assertThat(tool.path("content").asText()).startsWith("REJECTED");
        approve(p, Map.of("tool_call_id", p.callId(), "approved", false)).statusCode(409);
    }

    @Test
    void approvingACallThatIsNotPendingIs409AndBadBodiesAre4xx() {
        Paused p = pausedRun();
        approve(p, Map.of("tool_call_id", "call_nope", "approved", true)).statusCode(409);
        approve(p, Map.of("tool_call_id", p.callId())).statusCode(422);
        approve(p, Map.of("tool_call_id", p.callId(), "approved", "maybe")).statusCode(400);
        given().contentType(ContentType.JSON).header("X-User-Id", "intruder")
                .body(Map.of("tool_call_id", p.callId(), "approved", true))
                .post("/api/runs/" + p.runId() + "/approve").then().statusCode(404);
    }

    @Test
    void aPausedRunCanBeCancelled() {
        Paused p = pausedRun();
        given().header("X-User-Id", p.user()).post("/api/runs/" + p.runId() + "/cancel").then().statusCode(202);
        assertThat(Stored.status(p.user(), p.runId())).isEqualTo("cancelled");
        approve(p, Map.of("tool_call_id", p.callId(), "approved", true)).statusCode(409);
    }

    @Test
    @InProcessOnly // needs slow_lookup, a test-only tool (200 ms limit) that is not in the packaged jar
    void aToolPastItsTimeLimitIsAnErrorResult() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(),
                Map.of("message", "[[tool:slow_lookup {\"query\":\"x\"}]]"));
        Frame done = frames.stream().filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow();
        assertThat(done.event().get("ok").asBoolean()).isFalse();
        assertThat(done.event().get("error").asText()).contains("timed out after 200 ms");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
    }
}
