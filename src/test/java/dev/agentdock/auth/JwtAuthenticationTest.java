package dev.agentdock.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(JwtProfile.class)
class JwtAuthenticationTest {

    private static final String SESSIONS = "/api/agents/assistant/sessions";


    /** A session of the assistant agent owned by {@code userId}, made through the API (so the jar's suite can too). */
    private static String sessionOf(String userId) {
        return given().header("Authorization", JwtProfile.bearer(userId)).contentType("application/json")
                .body("{\"agent_name\":\"assistant\",\"instructions\":\"be brief\"}")
                .post("/api/sdk/session/create").then().statusCode(200).extract().path("session_id");
    }

    private static void assertUnauthorized(ValidatableResponse response, String detail) {
        response.statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("https://agentdock.dev/problems/unauthorized"))
                .body("detail", containsString(detail));
    }

    @Test
    void validTokenActsForItsSubject() {
        String user = "user-" + UUID.randomUUID();
        String session = sessionOf(user);
        given().header("Authorization", JwtProfile.bearer(user)).get(SESSIONS).then().statusCode(200)
                .body("session_id", hasItem(session)).body("user_id", hasItem(user));
    }

    @Test
    void xUserIdIsIgnoredWhenATokenNamesTheUser() {
        String user = "user-" + UUID.randomUUID();
        String session = sessionOf(user);
        given().header("Authorization", JwtProfile.bearer("someone-else")).header("X-User-Id", user)
                .get(SESSIONS).then().statusCode(200).body("session_id", not(hasItem(session)));
    }

    @Test
    void missingTokenIs401WithABareBearerChallenge() {
        assertUnauthorized(given().get(SESSIONS).then(), "access token is required");
        given().get(SESSIONS).then().header("WWW-Authenticate", equalTo("Bearer"));
        assertUnauthorized(given().header("X-User-Id", "alice").get(SESSIONS).then(), "access token is required");
    }

    @Test
    void expiredTokenIs401SayingSo() {
        long now = Instant.now().getEpochSecond();
        String expired = JwtProfile.claims("user-" + UUID.randomUUID()).issuedAt(now - 7200).expiresAt(now - 3600)
                .signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + expired).get(SESSIONS).then(), "expired");
        given().header("Authorization", "Bearer " + expired).get(SESSIONS).then()
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void tokenSignedWithAnotherSecretIs401() {
        String forged = JwtProfile.claims("user-" + UUID.randomUUID())
                .signWithSecret("another-secret-that-is-also-more-than-32-bytes");
        assertUnauthorized(given().header("Authorization", "Bearer " + forged).get(SESSIONS).then(),
                "could not be verified");
    }

    @Test
    void tokenForAnotherAudienceIs401() {
        String other = JwtProfile.claims("user-" + UUID.randomUUID()).audience("anon")
                .signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + other).get(SESSIONS).then(),
                "could not be verified");
    }

    @Test
    void tokenFromAnotherIssuerIs401() {
        String other = JwtProfile.claims("user-" + UUID.randomUUID()).issuer("https://elsewhere.test/auth/v1")
                .signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + other).get(SESSIONS).then(),
                "could not be verified");
    }

    @Test
    void garbageAndNonBearerCredentialsAre401() {
        assertUnauthorized(given().header("Authorization", "Bearer not.a.jwt").get(SESSIONS).then(), "");
        assertUnauthorized(given().header("Authorization", "Basic dXNlcjpwYXNz").get(SESSIONS).then(),
                "must be 'Bearer <token>'");
    }

    @Test
    void aTokenOutsideTheHeadersCountsOnlyWhereBrowsersCannotSendHeaders() {
        String user = "user-" + UUID.randomUUID();
        sessionOf(user);
        // a REST route: the token belongs in Authorization, not in URLs that end up in logs and history
        assertUnauthorized(given().queryParam("access_token", JwtProfile.token(user)).get(SESSIONS).then(), "");
        assertUnauthorized(given().header("Sec-WebSocket-Protocol", "bearer, " + JwtProfile.token(user))
                .get(SESSIONS).then(), "");
        // the SSE re-join, which EventSource opens without headers: the query token is the caller
        given().queryParam("access_token", JwtProfile.token(user)).get("/api/runs/" + UUID.randomUUID() + "/stream")
                .then().statusCode(404);
        given().get("/api/runs/" + UUID.randomUUID() + "/stream").then().statusCode(401);
    }

    @Test
    void serviceKeyActsForTheUserItNames() {
        String user = "user-" + UUID.randomUUID();
        String session = sessionOf(user);
        given().header("X-Service-Key", JwtProfile.SERVICE_KEY).header("X-User-Id", user).get(SESSIONS).then()
                .statusCode(200).body("session_id", hasItem(session));
        given().header("X-Service-Key", JwtProfile.SERVICE_KEY).header("X-User-Id", user)
                .get("/api/sessions/" + session + "/steps").then().statusCode(200);
    }

    @Test
    void wrongServiceKeyIs401EvenWithAValidToken() {
        String user = "user-" + UUID.randomUUID();
        assertUnauthorized(given().header("X-Service-Key", JwtProfile.SERVICE_KEY + "x").header("X-User-Id", user)
                .get(SESSIONS).then(), "service key is not valid");
        assertUnauthorized(given().header("X-Service-Key", "").header("Authorization", JwtProfile.bearer(user))
                .get(SESSIONS).then(), "service key is not valid");
    }

    @Test
    void serviceKeyWithoutAUserIs401() {
        assertUnauthorized(given().header("X-Service-Key", JwtProfile.SERVICE_KEY).get(SESSIONS).then(),
                "X-User-Id");
    }

    @Test
    void sdkSessionCreateBelongsToTheTokenSubject() {
        String user = "user-" + UUID.randomUUID();
        String session = given().header("Authorization", JwtProfile.bearer(user)).contentType("application/json")
                .body("{\"agent_name\":\"assistant\",\"instructions\":\"be brief\"}")
                .post("/api/sdk/session/create").then().statusCode(200).extract().path("session_id");
        given().header("Authorization", JwtProfile.bearer(user)).get("/api/sessions/" + session + "/steps")
                .then().statusCode(200);
        given().header("Authorization", JwtProfile.bearer("intruder")).get("/api/sessions/" + session + "/steps")
                .then().statusCode(404);
        assertUnauthorized(given().contentType("application/json")
                .body("{\"agent_name\":\"assistant\",\"instructions\":\"x\"}")
                .post("/api/sdk/session/create").then(), "access token");
    }

    @Test
    void aVoiceSessionBelongsToTheTokenSubjectWhateverXUserIdSays() {
        String bob = "bob-" + UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();
        String session = given().header("Authorization", JwtProfile.bearer(bob)).header("X-User-Id", alice)
                .queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(200)
                .extract().path("session_id");
        given().header("Authorization", JwtProfile.bearer(bob)).get("/api/sessions/" + session + "/steps")
                .then().statusCode(200);
        given().header("Authorization", JwtProfile.bearer(alice)).get("/api/sessions/" + session + "/steps")
                .then().statusCode(404);
    }

    @Test
    void aTokenIssuedInTheFutureOrValidForYearsIs401() {
        long now = java.time.Instant.now().getEpochSecond();
        String user = "user-" + UUID.randomUUID();
        String future = JwtProfile.claims(user).issuedAt(now + 3600).expiresAt(now + 7200).signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + future).get(SESSIONS).then(), "issued in the future");
        String decades = JwtProfile.claims(user).issuedAt(now).expiresAt(now + 30L * 365 * 86400)
                .signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + decades).get(SESSIONS).then(), "longer than");
        String day = JwtProfile.claims(user).issuedAt(now).expiresAt(now + 23 * 3600).signWithSecret(JwtProfile.SECRET);
        given().header("Authorization", "Bearer " + day).get(SESSIONS).then().statusCode(200);
    }

    @Test
    void aSubjectThatIsNoStorableUserIdIs401NotA500() {
        // the user id is stored (varchar(200), and PostgreSQL takes no NUL): such a sub must be refused at the gate
        String nul = JwtProfile.claims("user\u0000" + UUID.randomUUID()).signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + nul).get(SESSIONS).then(), "not a valid user id");
        String tooLong = JwtProfile.claims("u".repeat(201)).signWithSecret(JwtProfile.SECRET);
        assertUnauthorized(given().header("Authorization", "Bearer " + tooLong).contentType("application/json")
                .body("{\"message\":\"hi\"}").post("/api/agents/assistant/chat").then(), "not a valid user id");
        // the longest that fits is a user like any other
        String longest = JwtProfile.claims("u".repeat(164) + UUID.randomUUID()).signWithSecret(JwtProfile.SECRET);
        given().header("Authorization", "Bearer " + longest).get(SESSIONS).then().statusCode(200);
    }

    @Test
    void healthNeedsNoCredentials() {
        given().get("/api/health").then().statusCode(200);
    }
}
