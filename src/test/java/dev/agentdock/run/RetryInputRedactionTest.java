package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.ScenarioDirectory;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A retry answers its user step again under the input guardrail: a step stored before it was judged (a voice
 * transcript imported as it was said) is rewritten redacted when the scenario redacts personal data of input.
 */
@QuarkusTest
@TestProfile(RetryInputRedactionTest.RedactingScenario.class)
class RetryInputRedactionTest {

    public static class RedactingScenario implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.scenarios.dir", ScenarioDirectory.of("redacting", """
                    id: redacting
                    name: Redacting
                    default_root_agent: redactor
                    guardrails:
                      input: {moderation: true, pii: redact}
                      output: {moderation: true, pii: allow}
                    agents:
                      - name: redactor
                        description: Answers, never seeing personal data.
                        instructions: Answer briefly.
                    """));
        }
    }

    private final SseChatClient sse = new SseChatClient();

    @Test
    void aRetryRewritesItsUserStepRedactedAndTheModelNeverSeesTheAddress() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("redactor", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("items", List.of(Map.of("id", "item_u1", "type", "message", "role", "user",
                        "content", List.of(Map.of("type", "input_audio", "transcript", "mail jane.doe@example.com please"))))))
                .post("/api/sessions/" + session + "/realtime/items").then().statusCode(200);
        assertThat(Stored.step(user, session, 3).path("content").asText()).contains("jane.doe@example.com");

        List<Frame> frames = sse.retry(session, user, "{\"sequence\":3}");
        assertThat(frames.getFirst().type()).isEqualTo("run_started");
        assertThat(frames.getFirst().event().get("input_redacted").asBoolean()).isTrue();
        Frame last = frames.getLast();
        assertThat(last.type()).isEqualTo("run_completed");
        assertThat(last.event().get("output_text").asText()).doesNotContain("jane.doe@example.com");
        List<JsonNode> steps = Stored.steps(user, session);
        assertThat(steps).hasSize(4);
        assertThat(steps.get(2).path("content").asText()).contains("[REDACTED:email]").doesNotContain("jane.doe@example.com");
    }
}
