package dev.agentdock.voice;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.agentdock.RedisPeer;
import dev.agentdock.common.CapturedLogs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An attached call whose holder is gone and whose sideband never opens (the configured OpenAI does not answer): the
 * takeover scan retries it with backoff, says so once at WARN, and records it as ended after the bound.
 */
@QuarkusTest
@TestProfile(UnreachableCallTest.UnreachableOpenAi.class)
class UnreachableCallTest {

    public static class UnreachableOpenAi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.openai.api-key", "sk-unreachable-test",
                    "agentdock.openai.base-url", "http://127.0.0.1:" + closedPort() + "/v1",
                    "agentdock.voice.takeover-interval", "1s",
                    "agentdock.voice.unreachable-retry-max", "2s",
                    "agentdock.voice.unreachable-end-after", "4s");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @jakarta.inject.Inject
    javax.sql.DataSource db;

    @Test
    void anOrphanedCallThatStaysUnreachableIsWarnedOfOnceAndRecordedAsEndedAfterTheBound() throws Exception {
        String user = "voice-unreachable-" + UUID.randomUUID();
        String sessionId = given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("agent_name", "assistant", "instructions", "be brief"))
                .post("/api/sdk/session/create").then().statusCode(200).extract().path("session_id");
        String callId = "rtc_unreachable_" + UUID.randomUUID().toString().replace("-", "");
        CapturedLogs logs = CapturedLogs.install();
        try {
            // attached by an instance that died: a row, no lease
            try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO ai_agent_voice_calls (call_id, session_id, user_id, status, created_at)
                    VALUES (?, ?, ?, 'attached', now())""")) {
                insert.setString(1, callId);
                insert.setObject(2, UUID.fromString(sessionId));
                insert.setString(3, user);
                insert.executeUpdate();
            }
            RedisPeer.del(CallLease.PREFIX + callId);
            String view = "/api/sessions/" + sessionId + "/realtime/calls/" + callId;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    given().header("X-User-Id", user).get(view).then().statusCode(200)
                            .body("status", equalTo("ended")).body("end_reason", equalTo("unreachable")));
            // every scan (1 s) would have warned again; backoff warns once
            assertThat(logs.warnings().stream().filter(l -> l.contains(callId)).toList()).hasSize(1)
                    .first().asString().contains("sideband did not open", "retried with backoff");
            assertThat(logs.shown()).contains("call " + callId + " of session " + sessionId
                    + ": unreachable for PT4S; recorded as ended");
            assertThat(RedisPeer.command("GET", CallLease.PREFIX + callId)).isNull();
        } finally {
            logs.uninstall();
        }
    }
}
