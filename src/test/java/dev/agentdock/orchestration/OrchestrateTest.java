package dev.agentdock.orchestration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.SocketProbe;
import dev.agentdock.run.SseChatClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrchestrateTest {

    private static final String RETAIL = "customer-service-retail";

    @TestHTTPResource("/")
    URI base;

    private final SseChatClient sse = new SseChatClient();

    private static JsonPath orchestrate(String user, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON).header("X-User-Id", user).body(body).post("/api/orchestrate")
                .then().statusCode(status).extract().jsonPath();
    }

    private String retailSession(String user) {
        return sse.chat("authentication", user, Map.of("message", "hello")).getLast().event().get("session_id").asText();
    }

    @Test
    void theModelsChoiceSwitchesTheRootAgentAndTheSocketHearsIt() {
        String user = "user-" + UUID.randomUUID();
        String session = retailSession(user);
        try (SocketProbe probe = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            JsonPath decision = orchestrate(user, Map.of("session_id", session, "scenario_id", RETAIL,
                    "current_agent", "authentication", "last_user_message", "I need returns for a broken blender",
                    "last_agent_message", "How can I help?"), 200);
            assertThat(decision.getString("root_agent")).isEqualTo("returns");
            assertThat(decision.getString("decided_by")).isEqualTo("model");
            assertThat(decision.getBoolean("switched")).isTrue();
            assertThat(decision.getDouble("confidence")).isBetween(0.0, 1.0);

            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> probe.types().contains("agent_switch"));
            JsonNode frame = probe.ofType("agent_switch").getFirst();
            assertThat(frame.at("/data/from").asText()).isEqualTo("authentication");
            assertThat(frame.at("/data/to").asText()).isEqualTo("returns");
            assertThat(frame.at("/data/reason").asText()).isNotBlank();
        }
        given().header("X-User-Id", user).get("/api/sessions/" + session + "/context").then().statusCode(200)
                .body("agent", equalTo("returns"));
    }

    @Test
    void whenTheModelFailsTheKeywordFallbackDecidesAndSaysSo() {
        String user = "user-" + UUID.randomUUID();
        JsonPath decision = orchestrate(user, Map.of("scenario_id", RETAIL, "current_agent", "authentication",
                "last_user_message", "[[fail:500]] which products do you sell, any discounts on headphones?"), 200);
        assertThat(decision.getString("decided_by")).isEqualTo("fallback");
        assertThat(decision.getString("root_agent")).isIn("authentication", "returns", "sales");
        assertThat(decision.getString("reason")).contains("model unavailable");
    }

    @Test
    void keepingTheCurrentAgentIsNotASwitch() {
        String user = "user-" + UUID.randomUUID();
        JsonPath decision = orchestrate(user, Map.of("scenario_id", RETAIL, "current_agent", "sales",
                "last_user_message", "tell me more about sales offers"), 200);
        assertThat(decision.getString("root_agent")).isEqualTo("sales");
        assertThat(decision.getBoolean("switched")).isFalse();
    }

    @Test
    void badInputIsAProblem() {
        String user = "user-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("scenario_id", "no-such-scenario", "last_user_message", "hi")).post("/api/orchestrate")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("scenario_id", RETAIL, "current_agent", "pirate", "last_user_message", "hi"))
                .post("/api/orchestrate").then().statusCode(422).body("detail", containsString("pirate"))
                .body("detail", containsString("returns"));
        given().contentType(ContentType.JSON).header("X-User-Id", user).body(Map.of("scenario_id", RETAIL))
                .post("/api/orchestrate").then().statusCode(422).body("errors.field", hasItem("last_user_message"));
        Map<String, Object> other = new HashMap<>(Map.of("scenario_id", RETAIL, "last_user_message", "hi"));
        other.put("session_id", retailSession("owner-" + UUID.randomUUID()));
        given().contentType(ContentType.JSON).header("X-User-Id", user).body(other).post("/api/orchestrate")
                .then().statusCode(404);
    }
}
