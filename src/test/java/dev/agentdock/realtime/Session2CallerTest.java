package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.JwtProfileTokens;
import dev.agentdock.TestIdentity;
import dev.agentdock.auth.JwtProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/session2 under JWT: the session is the token's user's, and the socket URL is absolute on the caller's origin. */
@QuarkusTest
@TestProfile(JwtProfile.class)
class Session2CallerTest {

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

    @Test
    void theSessionBelongsToTheTokensUserNotToAHeader() {
        String me = "caller-" + UUID.randomUUID();
        String victim = "victim-" + UUID.randomUUID();
        String session = given().header("Authorization", TestIdentity.bearer(me)).header("X-User-Id", victim)
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("session_id");
        given().header("Authorization", TestIdentity.bearer(me)).get("/api/agents/greeter/sessions/" + session)
                .then().statusCode(200);
        given().header("Authorization", TestIdentity.bearer(victim)).get("/api/agents/greeter/sessions/" + session)
                .then().statusCode(404);
    }

    @Test
    void aCallerThatSetsItsCallUpThroughTheServiceGetsNoKey() {
        String me = "sdp-" + UUID.randomUUID();
        var keyless = given().header("Authorization", TestIdentity.bearer(me)).queryParam("scenario_id", "simple-handoff")
                .queryParam("mint_key", "false").get("/api/session2").then().statusCode(200).extract().jsonPath();
        assertThat(keyless.getString("ephemeral_key")).isNull();
        assertThat(keyless.getList("initial_agents")).isNotEmpty();
        assertThat(keyless.getString("session_id")).isNotBlank();
        var keyed = given().header("Authorization", TestIdentity.bearer(me)).queryParam("scenario_id", "simple-handoff")
                .queryParam("mint_key", "true").get("/api/session2").then().statusCode(200).extract().jsonPath();
        assertThat(keyed.getString("ephemeral_key.value")).isNotBlank();
        given().header("Authorization", TestIdentity.bearer(me)).queryParam("scenario_id", "simple-handoff")
                .queryParam("mint_key", "no").get("/api/session2").then().statusCode(422)
                .contentType("application/problem+json").body(org.hamcrest.Matchers.containsString("mint_key"));
    }

    @Test
    void theSocketUrlIsAbsoluteOnTheForwardedOrigin() {
        String me = "origin-" + UUID.randomUUID();
        String viaProxy = given().header("Authorization", TestIdentity.bearer(me))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "dock.example.com")
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("orchestration_ws_url");
        assertThat(viaProxy).matches("wss://dock\\.example\\.com/ws/sessions/[0-9a-f-]{36}");
        String rfc7239 = given().header("Authorization", TestIdentity.bearer(me))
                .header("Forwarded", "for=1.2.3.4;proto=https;host=\"edge.example.org:8443\", for=10.0.0.1")
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("orchestration_ws_url");
        assertThat(rfc7239).startsWith("wss://edge.example.org:8443/ws/sessions/");
        String direct = given().header("Authorization", TestIdentity.bearer(me))
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("orchestration_ws_url");
        assertThat(direct).startsWith("ws://" + base.getHost() + ":" + base.getPort() + "/ws/sessions/");
    }

    @Test
    void aForgedHostThatIsNoHostNameIsNotEchoedBack() {
        String url = given().header("Authorization", TestIdentity.bearer("forger-" + UUID.randomUUID()))
                .header("X-Forwarded-Host", "evil.example/<script>")
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("orchestration_ws_url");
        assertThat(url).doesNotContain("evil").doesNotContain("<");
    }
}
