package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionControlTest {

    private final SseChatClient sse = new SseChatClient();

    private record Conversation(String user, String session) {
        RequestSpecification as() {
            return given().header("X-User-Id", user).contentType(ContentType.JSON);
        }
    }

    /** Two turns: user(1) assistant(2) user(3) assistant(4). */
    private Conversation twoTurns() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "first question")).getLast()
                .event().get("session_id").asText();
        sse.chat("assistant", user, Map.of("session_id", session, "message", "second question"));
        return new Conversation(user, session);
    }

    @Test
    void stepsArePagedAndReadableBySequence() {
        Conversation c = twoTurns();
        JsonPath page = c.as().queryParam("limit", 3).get("/api/sessions/" + c.session() + "/steps").then()
                .statusCode(200).extract().jsonPath();
        assertThat(page.getList("steps.sequence", Integer.class)).containsExactly(1, 2, 3);
        assertThat(page.getInt("next_start_seq")).isEqualTo(4);
        c.as().queryParam("start_seq", 2).queryParam("end_seq", 3).get("/api/sessions/" + c.session() + "/steps")
                .then().statusCode(200).body("steps.sequence", equalTo(List.of(2, 3)));
        c.as().get("/api/sessions/" + c.session() + "/steps/3").then().statusCode(200)
                .body("role", equalTo("user")).body("content", equalTo("second question"));
        c.as().get("/api/sessions/" + c.session() + "/steps/9").then().statusCode(422)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("1..4"));
        given().header("X-User-Id", "intruder").get("/api/sessions/" + c.session() + "/steps").then().statusCode(404);
        c.as().get("/api/sessions/" + UUID.randomUUID() + "/steps").then().statusCode(404);
        c.as().get("/api/sessions/not-a-uuid/steps").then().statusCode(422).body("errors.field", hasItem("session_id"));
    }

    @Test
    void deleteFromASequenceAnswersHowManyWentAndRefusesOutOfRange() {
        Conversation c = twoTurns();
        c.as().queryParam("start_seq", 3).delete("/api/sessions/" + c.session() + "/steps").then().statusCode(200)
                .body("deleted", equalTo(2));
        c.as().queryParam("start_seq", 3).delete("/api/sessions/" + c.session() + "/steps").then().statusCode(422)
                .body("detail", containsString("1..2"));
        c.as().delete("/api/sessions/" + c.session() + "/steps").then().statusCode(422);
    }

    @Test
    void forkCopiesStepsUpToTheSequenceAndBothBranchesGoOnIndependently() {
        Conversation c = twoTurns();
        String fork = c.as().body(Map.of("sequence", 2)).post("/api/sessions/" + c.session() + "/fork").then()
                .statusCode(200).extract().path("new_session_id");

        sse.chat("assistant", c.user(), Map.of("session_id", fork, "message", "only in the fork"));
        sse.chat("assistant", c.user(), Map.of("session_id", c.session(), "message", "only in the original"));

        List<String> forkContents = c.as().get("/api/sessions/" + fork + "/steps").then().statusCode(200)
                .extract().jsonPath().getList("steps.content", String.class);
        List<String> originalContents = c.as().get("/api/sessions/" + c.session() + "/steps").then().statusCode(200)
                .extract().jsonPath().getList("steps.content", String.class);
        assertThat(forkContents).hasSize(4).contains("first question", "only in the fork")
                .doesNotContain("second question", "only in the original");
        assertThat(originalContents).hasSize(6).contains("second question", "only in the original")
                .doesNotContain("only in the fork");

        c.as().get("/api/sessions/" + c.session() + "/branches").then().statusCode(200)
                .body("forks.session_id", hasItem(fork)).body("forked_from", equalTo(null));
        c.as().get("/api/sessions/" + fork + "/branches").then().statusCode(200)
                .body("forked_from.session_id", equalTo(c.session())).body("forked_from.sequence", equalTo(2));
    }

    @Test
    void forkAtZeroOrPastTheEndIs422() {
        Conversation c = twoTurns();
        c.as().body(Map.of("sequence", 0)).post("/api/sessions/" + c.session() + "/fork").then().statusCode(422)
                .body("detail", containsString("1..4"));
        c.as().body(Map.of("sequence", 5)).post("/api/sessions/" + c.session() + "/fork").then().statusCode(422);
        c.as().body(Map.of("sequence", "two")).post("/api/sessions/" + c.session() + "/fork").then().statusCode(400);
        c.as().body(Map.of()).post("/api/sessions/" + c.session() + "/fork").then().statusCode(422)
                .body("errors.field", hasItem("sequence"));
    }

    @Test
    void retryOfAnAssistantStepRegeneratesADifferentReplyFromTheUserStepBeforeIt() {
        Conversation c = twoTurns();
        String before = c.as().get("/api/sessions/" + c.session() + "/steps/4").then().extract().path("content");

        List<Frame> frames = sse.retry(c.session(), c.user(), "{\"sequence\":4}");
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        String after = frames.getLast().event().get("output_text").asText();
        assertThat(after).isNotBlank().isNotEqualTo(before);

        JsonPath steps = c.as().get("/api/sessions/" + c.session() + "/steps").then().extract().jsonPath();
        assertThat(steps.getList("steps.sequence", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(steps.getString("steps[3].content")).isEqualTo(after);
        assertThat(steps.getString("steps[2].content")).isEqualTo("second question");
    }

    @Test
    void retryOutOfRangeIs422() {
        Conversation c = twoTurns();
        c.as().accept("text/event-stream").body(Map.of("sequence", 12)).post("/api/sessions/" + c.session() + "/retry")
                .then().statusCode(422).body("detail", containsString("1..4"));
    }

    @Test
    void retryWithAnUnknownDisconnectPolicyIs422AndKeepsEveryStep() {
        Conversation c = twoTurns();
        String before = c.as().get("/api/sessions/" + c.session() + "/steps/4").then().extract().path("content");
        c.as().accept("text/event-stream").queryParam("on_disconnect", "linger").body(Map.of("sequence", 4))
                .post("/api/sessions/" + c.session() + "/retry").then().statusCode(422)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("on_disconnect"))
                .body("detail", containsString("continue"));
        // refused before the retry deleted anything
        JsonPath steps = c.as().get("/api/sessions/" + c.session() + "/steps").then().extract().jsonPath();
        assertThat(steps.getList("steps.sequence", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(steps.getString("steps[3].content")).isEqualTo(before);
    }

    @Test
    void contextPreviewIsTheExactNextModelInputAndSummaryCountsEverything() {
        Conversation c = twoTurns();
        JsonPath context = c.as().get("/api/sessions/" + c.session() + "/context").then().statusCode(200)
                .extract().jsonPath();
        assertThat(context.getList("messages.role", String.class))
                .containsExactly("system", "user", "assistant", "user", "assistant");
        assertThat(context.getString("messages[1].content")).isEqualTo("first question");

        c.as().get("/api/sessions/" + c.session() + "/summary").then().statusCode(200)
                .body("total_steps", equalTo(4)).body("user_steps", equalTo(2)).body("assistant_steps", equalTo(2))
                .body("tool_steps", equalTo(0)).body("sequence_range.min", equalTo(1))
                .body("sequence_range.max", equalTo(4)).body("runs_by_status.completed", equalTo(2));
        c.as().get("/api/sessions/" + c.session() + "/runs").then().statusCode(200)
                .body("status", equalTo(List.of("completed", "completed")));
    }

    @Test
    void aRunCanBeReadAndAFinishedOneCannotBeCancelled() {
        Conversation c = twoTurns();
        String runId = c.as().get("/api/sessions/" + c.session() + "/runs").then().extract().path("[0].run_id");
        c.as().get("/api/runs/" + runId).then().statusCode(200).body("status", equalTo("completed"))
                .body("total_tokens", org.hamcrest.Matchers.greaterThan(0));
        c.as().post("/api/runs/" + runId + "/cancel").then().statusCode(409);
        given().header("X-User-Id", "intruder").get("/api/runs/" + runId).then().statusCode(404);
        c.as().get("/api/runs/" + UUID.randomUUID()).then().statusCode(404);
    }
}
