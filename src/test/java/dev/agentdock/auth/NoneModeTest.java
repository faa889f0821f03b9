package dev.agentdock.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dev and test run in mode {@code none}: the caller names itself. */
@QuarkusTest
class NoneModeTest {

    private static final String SESSIONS = "/api/agents/assistant/sessions";

    @Inject
    SessionRepository sessions;

    private String sessionOf(String userId) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.create(id, userId, "assistant"));
        return id.toString();
    }

    @Test
    void xUserIdOrTheUserIdQueryParameterNamesTheCaller() {
        String user = "user-" + UUID.randomUUID();
        String session = sessionOf(user);
        given().header("X-User-Id", user).get(SESSIONS).then().statusCode(200).body("session_id", hasItem(session));
        given().queryParam("user_id", user).get(SESSIONS).then().statusCode(200).body("session_id", hasItem(session));
        given().header("X-User-Id", "someone-else").get(SESSIONS).then().statusCode(200)
                .body("session_id", not(hasItem(session)));
    }

    @Test
    void nobodyNamedIsAnonymous() {
        String session = sessionOf(Authenticator.ANONYMOUS);
        given().get(SESSIONS).then().statusCode(200).body("session_id", hasItem(session));
    }

    @Test
    void aServiceKeyIsRefusedWhenNoneIsConfigured() {
        given().header("X-Service-Key", "guess").header("X-User-Id", "alice").get(SESSIONS).then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", equalTo("the service key is not valid"));
    }
}
