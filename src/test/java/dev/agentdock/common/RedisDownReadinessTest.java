package dev.agentdock.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.agentdock.run.SseChatClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** With Redis out of reach: readiness says so and names it, turns still run, sockets get local events. */
@QuarkusTest
@TestProfile(RedisDownReadinessTest.RedisOnClosedPort.class)
class RedisDownReadinessTest {

    public static class RedisOnClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "quarkus.redis.timeout", "2s",
                    "agentdock.orchestration.probe-interval", "200ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void readinessGoesDownAndNamesRedisAndTheOrchestrationChannel() {
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() ->
                given().get("/q/health/ready").then().extract().statusCode() == 503
                        && given().get("/q/health/ready").then().extract().asString().contains("Orchestration"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Orchestration channel' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"));
    }

    @Test
    void aTurnStillRunsAndTheSocketHearsItLocallyAndIsToldTheChannelIsDegraded() {
        String user = "user-" + UUID.randomUUID();
        SseChatClient sse = new SseChatClient();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocketClientConnection socket = BasicWebSocketConnector.create().baseUri(base)
                .path("/ws/sessions/" + session).addHeader("X-User-Id", user)
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, text) -> frames.add(text)).connectAndAwait();
        try {
            var done = sse.chat("assistant", user, Map.of("session_id", session, "message", "still there?"));
            assertThat(done.getLast().type()).isEqualTo("run_completed");
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() ->
                    frames.stream().anyMatch(f -> f.contains("\"run_completed\"")));
            assertThat(frames).anyMatch(f -> f.contains("\"channel_status\"") && f.contains("\"degraded\":true"));
            assertThat(frames).anyMatch(f -> f.contains("\"id\":\"local-"));
        } finally {
            socket.closeAndAwait();
        }
    }
}
