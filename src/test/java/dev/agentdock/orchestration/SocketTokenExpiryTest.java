package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.JwtProfileTokens;
import dev.agentdock.SocketProbe;
import dev.agentdock.TestIdentity;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A socket opened with a token does not outlive it: at its expiry plus the grace (1 s here) the server closes it
 * with 4401, unless the client sent a fresh token of the same user in an {@code auth} frame. An invalid token in
 * that frame closes with 4401, another user's with 4403; a service-key socket has no expiry.
 */
@QuarkusTest
@TestProfile(SocketLimitsProfile.class)
class SocketTokenExpiryTest {

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

    private SocketProbe openWithToken(String user, long expiresInSeconds) {
        return SocketProbe.open(base, "/ws/me", Map.of("Authorization", "Bearer " + TestIdentity.token(user, expiresInSeconds)));
    }

    @Test
    void aSocketIsClosedWith4401WhenItsTokenExpires() {
        String user = "expiring-" + UUID.randomUUID();
        long opened = System.nanoTime();
        try (SocketProbe socket = openWithToken(user, 3)) {
            String close = socket.awaitClose(Duration.ofSeconds(15));
            double after = (System.nanoTime() - opened) / 1e9;
            assertThat(close).startsWith("4401 unauthorized: the token has expired");
            // not before the token's expiry (3 s, less the second its exp was rounded down to)
            assertThat(after).isGreaterThan(2.0).isLessThan(12.0);
        }
    }

    @Test
    void aFreshTokenInAnAuthFrameKeepsTheSocketOpen() throws Exception {
        String user = "refreshing-" + UUID.randomUUID();
        try (SocketProbe socket = openWithToken(user, 4);
             SocketProbe service = SocketProbe.open(base, "/ws/me",
                     Map.of("X-Service-Key", JwtProfileTokens.serviceKey(), "X-User-Id", user))) {
            socket.send("{\"type\":\"auth\",\"token\":\"" + TestIdentity.token(user, 600) + "\"}");
            socket.awaitType("authenticated");
            Instant expiresAt = Instant.parse(socket.ofType("authenticated").getFirst().path("expires_at").asText());
            assertThat(expiresAt).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
            Thread.sleep(6_500); // past the first token's expiry plus the grace
            socket.send("{\"type\":\"ping\"}");
            socket.awaitType("pong");
            assertThat(socket.closedWith).isNull();
            // a service-key socket carries no expiry at all
            service.send("{\"type\":\"ping\"}");
            service.awaitType("pong");
            assertThat(service.closedWith).isNull();
        }
    }

    @Test
    void anInvalidOrExpiredTokenInAnAuthFrameClosesWith4401() {
        String user = "invalid-" + UUID.randomUUID();
        try (SocketProbe socket = openWithToken(user, 600)) {
            socket.send("{\"type\":\"auth\",\"token\":\"not-a-token\"}");
            assertThat(socket.awaitClose(Duration.ofSeconds(10))).startsWith("4401 unauthorized");
        }
        try (SocketProbe socket = openWithToken(user, 600)) {
            socket.send("{\"type\":\"auth\",\"token\":\"" + TestIdentity.token(user, -120) + "\"}");
            assertThat(socket.awaitClose(Duration.ofSeconds(10))).isEqualTo("4401 unauthorized: the token has expired");
        }
        try (SocketProbe socket = openWithToken(user, 600)) {
            socket.send("{\"type\":\"auth\"}");
            assertThat(socket.awaitClose(Duration.ofSeconds(10))).startsWith("4401 unauthorized");
        }
    }

    @Test
    void anotherUsersTokenInAnAuthFrameClosesWith4403() {
        String user = "owner-" + UUID.randomUUID();
        try (SocketProbe socket = openWithToken(user, 600)) {
            socket.send("{\"type\":\"auth\",\"token\":\"" + TestIdentity.token("other-" + UUID.randomUUID(), 600) + "\"}");
            assertThat(socket.awaitClose(Duration.ofSeconds(10))).startsWith("4403 forbidden");
            assertThat(socket.ofType("authenticated")).isEmpty();
        }
    }
}
