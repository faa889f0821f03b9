package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentdock.JwtProfileTokens;
import dev.agentdock.SocketProbe;
import dev.agentdock.TestIdentity;
import dev.agentdock.auth.JwtProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A page cannot read the status of a refused handshake (it sees close code 1006), so a refused socket is upgraded
 * and closed at once with 4401 / 4404 and a reason; it never carries a frame.
 */
@QuarkusTest
@TestProfile(JwtProfile.class)
class SocketRefusalTest {

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

    /** Opens a socket with this Authorization (or none) and returns the server's close frame as "code reason". */
    private String closeOf(String path, String authorization) throws Exception {
        AtomicReference<String> closed = new AtomicReference<>();
        AtomicReference<String> text = new AtomicReference<>();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        WebSocket socket = builder.buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + path.substring(1)),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.set(data.toString());
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                        closed.set(code + " " + reason);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"ping\"}", true).exceptionally(e -> null);
        await().atMost(Duration.ofSeconds(10)).until(() -> closed.get() != null);
        assertThat(text.get()).as("a refused socket carries no frame").isNull();
        return closed.get();
    }

    @Test
    void aSocketWithoutAValidTokenIsClosedWith4401AndAReason() throws Exception {
        // the gate lets the two socket routes through to their upgrade check, which says why in the close frame
        assertThat(closeOf("/ws/me", null)).startsWith("4401 unauthorized: an access token is required");
        assertThat(closeOf("/ws/me", "Bearer not-a-token")).startsWith("4401 unauthorized: the token");
        assertThat(closeOf("/ws/sessions/" + UUID.randomUUID(), null)).startsWith("4401 unauthorized");
        assertThat(closeOf("/ws/me", "Bearer " + TestIdentity.token("late-" + UUID.randomUUID(), -120)))
                .isEqualTo("4401 unauthorized: the token has expired");
    }

    @Test
    void everyOtherPathUnderWsIsStillRefusedByTheGate() {
        // no socket lives there: the fail-closed gate answers the upgrade with 401 before anything else
        for (String path : List.of("/ws/other", "/ws/me/x", "/ws/sessions")) {
            assertThatThrownBy(() -> closeOf(path, null)).as(path)
                    .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((java.net.http.WebSocketHandshakeException) e.getCause())
                            .getResponse().statusCode()).as(path).isEqualTo(401));
        }
    }

    @Test
    void anotherUsersOrAnUnknownSessionIsClosedWith4404() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        String session = io.restassured.RestAssured.given().header("Authorization", TestIdentity.bearer(owner))
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("session_id");
        assertThat(closeOf("/ws/sessions/" + session, TestIdentity.bearer("intruder-" + UUID.randomUUID())))
                .isEqualTo("4404 not found: session '" + session + "' was not found");
        assertThat(closeOf("/ws/sessions/not-a-uuid", TestIdentity.bearer(owner))).startsWith("4404 not found");
        assertThatThrownBy(() -> SocketProbe.open(base, "/ws/sessions/" + UUID.randomUUID(), owner))
                .hasMessageContaining("4404");
        // and the owner is let in, with the same token kind
        try (SocketProbe ok = SocketProbe.open(base, "/ws/sessions/" + session, owner)) {
            assertThat(ok.isOpen()).isTrue();
        }
    }
}
