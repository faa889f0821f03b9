package dev.agentdock.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorClientSecretsTest {

    static final String BODY = """
            {"expires_after":{"anchor":"created_at","seconds":120},
             "session":{"type":"realtime","model":"gpt-realtime","instructions":"Be brief.",
                        "audio":{"output":{"voice":"marin"}},
                        "tools":[{"type":"function","name":"lookup","description":"d","parameters":{"type":"object"}}]}}
            """;

    @Test
    void mintsAnEphemeralKeyAndEchoesTheSession() {
        long now = System.currentTimeMillis() / 1000;
        given().contentType(ContentType.JSON).auth().oauth2("sk-anything").body(BODY)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(200)
                .body("value", startsWith("ek_sim_"))
                .body("expires_at", allOf(greaterThanOrEqualTo((int) now + 119), lessThanOrEqualTo((int) now + 122)))
                .body("session.id", startsWith("sess_"))
                .body("session.object", equalTo("realtime.session"))
                .body("session.type", equalTo("realtime"))
                .body("session.model", equalTo("gpt-realtime"))
                .body("session.instructions", equalTo("Be brief."))
                .body("session.audio.output.voice", equalTo("marin"))
                .body("session.audio.output.format.type", equalTo("audio/pcm"))
                .body("session.tools[0].name", equalTo("lookup"));
    }

    @Test
    void defaultsToTenMinutesWithAnEmptyBody() {
        long now = System.currentTimeMillis() / 1000;
        given().auth().oauth2("sk-anything")
                .post("/v1/realtime/client_secrets")
                .then().statusCode(200)
                .body("expires_at", allOf(greaterThanOrEqualTo((int) now + 599), lessThanOrEqualTo((int) now + 602)))
                .body("session.type", equalTo("realtime"));
    }

    @Test
    void requiresABearerToken() {
        given().contentType(ContentType.JSON).body(BODY)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(401).body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer ").body(BODY)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(401);
    }

    @Test
    void modeHeaderSimulatesFailures() {
        given().contentType(ContentType.JSON).auth().oauth2("sk").header("x-sim-mode", "fail:401").body(BODY)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().contentType(ContentType.JSON).auth().oauth2("sk").header("x-sim-mode", "fail:429").body(BODY)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(429).body("error.type", equalTo("rate_limit_exceeded"));
        given().contentType(ContentType.JSON).auth().oauth2("sk").header("x-sim-mode", "fail:500").body(BODY)
                .post("/v1/realtime/client_secrets")
                .then().statusCode(500).body("error.type", equalTo("server_error"));
    }

    @Test
    void rejectsAnOutOfRangeLifetime() {
        given().contentType(ContentType.JSON).auth().oauth2("sk")
                .body("{\"expires_after\":{\"anchor\":\"created_at\",\"seconds\":5}}")
                .post("/v1/realtime/client_secrets")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
    }
}
