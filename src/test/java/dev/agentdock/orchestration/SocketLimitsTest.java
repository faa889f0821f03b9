package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.JwtProfileTokens;
import dev.agentdock.SocketProbe;
import dev.agentdock.TestIdentity;
import dev.agentdock.common.CapturedLogs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one client may make a socket do: resume frames are throttled per socket (a burst, then one per refill;
 * refused ones get an error frame, too many in a row close with 4429), a user holds a bounded number of sockets per
 * instance (beyond: 4429), a message over 256 KiB closes with 1009 (no stack trace), and an error frame never
 * quotes more of the client's frame type than 40 printable characters.
 */
@QuarkusTest
@TestProfile(SocketLimitsProfile.class)
class SocketLimitsTest {

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void tokens() {
        JwtProfileTokens.use();
    }

    @AfterAll
    static void noTokens() {
        JwtProfileTokens.release();
    }

    private List<JsonNode> errors(SocketProbe socket) {
        return socket.ofType("error");
    }

    private static String detail(JsonNode error) {
        return error.path("data").path("detail").asText();
    }

    @Test
    void resumesBeyondTheBurstAreRefusedThenTheSocketIsClosedWith4429() {
        try (SocketProbe socket = SocketProbe.open(base, "/ws/me", "resumer-" + UUID.randomUUID())) {
            for (int i = 0; i < SocketLimitsProfile.RESUME_BURST; i++) {
                socket.send("{\"type\":\"resume\"}"); // allowed (and answered: it names no event id)
            }
            socket.send("{\"type\":\"resume\",\"last_event_id\":\"1-0\"}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> errors(socket).size() == SocketLimitsProfile.RESUME_BURST + 1);
            assertThat(errors(socket).subList(0, SocketLimitsProfile.RESUME_BURST))
                    .allSatisfy(e -> assertThat(detail(e)).startsWith("resume needs last_event_id"));
            assertThat(detail(errors(socket).getLast())).startsWith("too many resume frames; retry in");
            // other frames are not throttled
            socket.send("{\"type\":\"ping\"}");
            socket.awaitType("pong");
            assertThat(socket.closedWith).isNull();
            for (int i = 1; i < SocketLimitsProfile.MAX_REFUSED_RESUMES; i++) {
                socket.send("{\"type\":\"resume\",\"last_event_id\":\"1-0\"}");
            }
            assertThat(socket.awaitClose(Duration.ofSeconds(10))).startsWith("4429 too many requests");
        }
    }

    @Test
    void aUserHoldsAtMostTheCapOfSocketsOnAnInstance() {
        String user = "many-tabs-" + UUID.randomUUID();
        String session = RestAssured.given().header("Authorization", TestIdentity.bearer(user))
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("session_id");
        List<SocketProbe> open = new ArrayList<>();
        try {
            open.add(SocketProbe.open(base, "/ws/me", user));
            open.add(SocketProbe.open(base, "/ws/sessions/" + session, user));
            for (int i = 2; i < SocketLimitsProfile.MAX_PER_USER; i++) {
                open.add(SocketProbe.open(base, "/ws/me", user));
            }
            assertThatThrownBy(() -> SocketProbe.open(base, "/ws/me", user))
                    .hasMessageContaining("4429 too many requests: at most " + SocketLimitsProfile.MAX_PER_USER);
            assertThatThrownBy(() -> SocketProbe.open(base, "/ws/sessions/" + session, user))
                    .hasMessageContaining("4429");
            // another user is not affected
            try (SocketProbe other = SocketProbe.open(base, "/ws/me", "other-" + UUID.randomUUID())) {
                assertThat(other.isOpen()).isTrue();
            }
            // a closed socket frees its place
            open.removeFirst().close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> open.add(SocketProbe.open(base, "/ws/me", user)));
            assertThat(open.getLast().isOpen()).isTrue();
        } finally {
            open.forEach(SocketProbe::close);
        }
    }

    @Test
    @dev.agentdock.InProcessOnly // it reads the application's log records
    void aMessageOver256KiBClosesWith1009AndLogsNoStackTrace() {
        CapturedLogs logs = CapturedLogs.install();
        try {
            String user = "big-" + UUID.randomUUID();
            // just under the limit, in one frame (above Vert.x's default 64 KiB frame size): answered
            try (SocketProbe socket = SocketProbe.open(base, "/ws/me", user)) {
                socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(200 * 1024) + "\"}");
                socket.awaitType("pong");
            }
            try (SocketProbe socket = SocketProbe.open(base, "/ws/me", user)) {
                try {
                    socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300 * 1024) + "\"}");
                } catch (RuntimeException closing) {
                    // the server may close before the whole frame is written
                }
                assertThat(socket.awaitClose(Duration.ofSeconds(10))).startsWith("1009");
            }
            try (SocketProbe socket = SocketProbe.open(base, "/ws/me", user)) {
                try {
                    for (int i = 0; i < 3; i++) {
                        socket.sendPart("x".repeat(100 * 1024), false);
                    }
                    socket.sendPart("x", true);
                } catch (RuntimeException closing) {
                    // closed while fragments were still being sent
                }
                assertThat(socket.awaitClose(Duration.ofSeconds(10))).startsWith("1009");
            }
            assertThat(logs.shown()).doesNotContain("max message size").doesNotContain("Max frame length")
                    .doesNotContain("CorruptedWebSocketFrameException").doesNotContain("IllegalStateException");
        } finally {
            logs.uninstall();
        }
    }

    @Test
    void anErrorFrameQuotesAtMostFortyPrintableCharactersOfTheFrameType() throws Exception {
        try (SocketProbe socket = SocketProbe.open(base, "/ws/me", "echo-" + UUID.randomUUID())) {
            String type = "a\u0007b\u001b[31m\u202e" + "z".repeat(5000);
            socket.send(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("type", type)));
            socket.awaitType("error");
            String detail = detail(errors(socket).getFirst());
            String quoted = detail.substring(detail.indexOf('\'') + 1, detail.indexOf('\'', detail.indexOf('\'') + 1));
            assertThat(quoted).startsWith("a?b?[31m?zzz").endsWith("…").hasSize(40 + 1);
            assertThat(detail).doesNotContain("\u0007").doesNotContain("\u001b").doesNotContain("\u202e")
                    .hasSizeLessThan(200);
        }
    }
}
