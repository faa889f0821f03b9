package dev.agentdock.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CorsTest {

    private static final String DOCK = "http://localhost:5173";

    @Test
    void preflightFromTheDockIsAllowedWithItsHeaders() {
        given().header("Origin", DOCK)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,last-event-id")
                .options("/api/agents/assistant/chat")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(DOCK))
                .header("Access-Control-Allow-Methods", containsStringIgnoringCase("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("last-event-id"));
    }

    @Test
    void responsesToTheDockExposeRetryAfterAndLocation() {
        // Location carries the call id of POST …/realtime/calls: the Agents SDK's WebRTC transport reads it there
        given().header("Origin", DOCK).header("X-User-Id", "cors-user").get("/api/agents/assistant/sessions")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(DOCK))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Retry-After"))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Location"));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/agents/assistant/chat")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}
