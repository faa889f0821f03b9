package dev.agentdock.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(JwksProfile.class)
class JwksAuthenticationTest {

    private static final String SESSIONS = "/api/agents/assistant/sessions";

    @Inject
    SessionRepository sessions;

    @Test
    void rs256TokenVerifiedAgainstTheJwksActsForItsSubject() {
        String user = "user-" + UUID.randomUUID();
        UUID session = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.create(session, user, "assistant"));
        String token = JwtProfile.claims(user).jws().keyId(JwksProfile.KEY_ID).sign(JwksProfile.signingKey());
        given().header("Authorization", "Bearer " + token).get(SESSIONS).then().statusCode(200)
                .body("session_id", hasItem(session.toString()));
    }

    @Test
    void tokenSignedByAKeyNotInTheJwksIs401() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String token = JwtProfile.claims("user-" + UUID.randomUUID()).jws().keyId(JwksProfile.KEY_ID)
                .sign(generator.generateKeyPair().getPrivate());
        given().header("Authorization", "Bearer " + token).get(SESSIONS).then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("could not be verified"));
    }

    @Test
    void hs256TokenIsRefusedWhenNoSecretIsConfigured() {
        given().header("Authorization", "Bearer " + JwtProfile.token("user-" + UUID.randomUUID())).get(SESSIONS)
                .then().statusCode(401).body("detail", containsString("algorithm"));
    }
}
