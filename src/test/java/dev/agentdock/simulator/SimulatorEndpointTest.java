package dev.agentdock.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.agentdock.common.LocalOpenAiEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorEndpointTest {

    @Inject
    Instance<LocalOpenAiEndpoint> endpoint;

    @Test
    void baseUrlPointsAtTheActuallyBoundPort() {
        assertEquals(true, endpoint.isResolvable());
        // The profile asks for port 0, so a configured value could only ever be 0 or a stale default.
        assertNotEquals(0, RestAssured.port);
        assertNotEquals(8081, RestAssured.port);
        assertEquals("http://127.0.0.1:" + RestAssured.port + "/v1", endpoint.get().baseUrl());

        given().baseUri(endpoint.get().baseUrl().replace("/v1", "")).port(-1)
                .contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(200).body("object", equalTo("chat.completion"));
    }
}
