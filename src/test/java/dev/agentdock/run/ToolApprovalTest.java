package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ToolApprovalTest {

    private final SseChatClient sse = new SseChatClient();

    @Inject
    ActiveRuns active;
    @Inject
    RunRepository runs;
    @Inject
    StepRepository steps;

    private record Paused(String user, String runId, String session, String callId) {
    }

    private Paused pausedRun() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> frames = sse.chat("assistant", user,
                Map.of("message", "pay [[tool:transfer_funds {\"amount\":500,\"to\":\"ACME\"}]]"));
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_paused");
        String runId = last.event().get("run_id").asText();
        assertThat(Fresh.run(UUID.fromString(runId)).status).isEqualTo(RunStatus.PAUSED);
        assertThat(active.find(UUID.fromString(runId))).as("no thread waits for the decision").isEmpty();
        return new Paused(user, runId, last.event().get("session_id").asText(),
                last.event().at("/pending_tool_calls/0/tool_call_id").asText());
    }

    private io.restassured.response.ValidatableResponse approve(Paused p, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("X-User-Id", p.user()).body(body)
                .post("/api/runs/" + p.runId() + "/approve").then();
    }

    @Test
    void anApprovedCallRunsWithEditedArgumentsAndTheRunResumesFromStoredSteps() {
        Paused p = pausedRun();
        approve(p, Map.of("tool_call_id", p.callId(), "approved", true, "arguments", Map.of("amount", 250, "to", "ACME")))
                .statusCode(200).body("resumed", equalTo(true));

        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> Fresh.run(UUID.fromString(p.runId())).status == RunStatus.COMPLETED);
        List<Step> stored = Fresh.steps(UUID.fromString(p.session()));
        assertThat(stored).extracting(s -> s.role.wire()).containsExactly("user", "assistant", "tool", "assistant");
        assertThat(stored.get(2).content).isEqualTo("transferred 250 to ACME");
        assertThat(stored.get(3).content).contains("transferred 250 to ACME");

        List<Frame> rest = SseChatClient.frames(sse.api().rejoin(p.runId(), p.user(), null));
        assertThat(rest.getLast().type()).isEqualTo("run_completed");
        approve(p, Map.of("tool_call_id", p.callId(), "approved", true)).statusCode(409);
    }

    @Test
    void aRejectedCallTellsTheModelAndASecondDecisionIs409() {
        Paused p = pausedRun();
        approve(p, Map.of("tool_call_id", p.callId(), "approved", false)).statusCode(200);
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> Fresh.run(UUID.fromString(p.runId())).status == RunStatus.COMPLETED);
        Step tool = Fresh.step(UUID.fromString(p.session()), 3).orElseThrow();
        assertThat(tool.content).startsWith("REJECTED");
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
        assertThat(Fresh.run(UUID.fromString(p.runId())).status).isEqualTo(RunStatus.CANCELLED);
        approve(p, Map.of("tool_call_id", p.callId(), "approved", true)).statusCode(409);
    }

    @Test
    void aToolPastItsTimeLimitIsAnErrorResult() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(),
                Map.of("message", "[[tool:slow_lookup {\"query\":\"x\"}]]"));
        Frame done = frames.stream().filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow();
        assertThat(done.event().get("ok").asBoolean()).isFalse();
        assertThat(done.event().get("error").asText()).contains("timed out after 200 ms");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
    }
}
