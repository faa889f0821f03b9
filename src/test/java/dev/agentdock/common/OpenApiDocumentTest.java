package dev.agentdock.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is what clients are generated from (clients/dock), so it must name fields as the wire does. */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void schemaPropertiesAreSnakeCaseLikeTheJsonOnTheWire() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.SessionInitPayload.properties", hasKey("orchestration_ws_url"))
                .body("components.schemas.SessionInitPayload.properties", not(hasKey("orchestrationWsUrl")))
                .body("components.schemas.InitialAgent.properties", hasKey("handoff_description"))
                .body("components.schemas.ChatRequestBody.properties", hasKey("session_id"))
                .body("components.schemas.ToolResult.properties", hasKey("duration_ms"));
    }

    @Test
    void theWireReallyIsSnakeCase() {
        // the other half of the promise: the same field, as the route answers it
        given().header("X-User-Id", "openapi-doc").get("/api/session2?scenario_id=simple-handoff").then()
                .statusCode(200).body("$", hasKey("orchestration_ws_url")).body("initial_agents[0]", hasKey("handoff_description"));
    }
}
