package dev.agentdock.voice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.ScenarioDirectory;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tool over its time limit on a call: the service answers the model with the timeout, not the tool's late result.
 * Its own scenario, as no bundled agent has a slow tool (the test-only {@code slow_lookup}: 200 ms limit, 5 s of
 * work).
 */
@QuarkusTest
@TestProfile(VoiceCallToolTimeoutTest.SlowToolScenario.class)
class VoiceCallToolTimeoutTest {

    public static class SlowToolScenario implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.scenarios.dir", ScenarioDirectory.of("slow-voice", """
                    id: slow-voice
                    name: Slow voice
                    default_root_agent: clerk
                    agents:
                      - name: clerk
                        description: Looks things up, slowly.
                        instructions: Look things up.
                        tools: [slow_lookup]
                    """));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aToolOverItsTimeLimitIsAnsweredOnTheCallAsATimeout() {
        try (VoiceCallTest.Voice v = VoiceCallTest.open(base, "slow-voice", "clerk", true)) {
            VoiceCallTest.say(v.callId(), "look up the weather [[tool:slow_lookup {\"query\":\"weather\"}]]");
            String output = VoiceCallTest.output(v.browser(), "slow_lookup").path("output").asText();
            assertThat(output).isEqualTo("ERROR: tool 'slow_lookup' timed out after 200 ms");
            JsonNode result = VoiceCallTest.frame(v.socket(), "tool_result",
                    f -> f.at("/data/name").asText().equals("slow_lookup"));
            assertThat(result.at("/data/ok").asBoolean()).isFalse();
            assertThat(result.at("/data/error").asText()).contains("timed out after 200 ms");
            assertThat(result.at("/data/duration_ms").asLong()).isGreaterThan(150); // it ran until its limit
        }
    }
}
