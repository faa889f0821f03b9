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
    void theDocumentCarriesEveryRunEventRecordAsOneOfWithADiscriminatorOnType() {
        io.restassured.path.json.JsonPath doc = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        java.util.Map<String, String> mapping = doc.getMap("components.schemas.RunEvent.discriminator.mapping");
        org.assertj.core.api.Assertions.assertThat(doc.getString("components.schemas.RunEvent.discriminator.propertyName"))
                .isEqualTo("type");
        java.util.List<String> wire = java.util.Arrays.stream(dev.agentdock.run.events.RunEventType.values())
                .map(dev.agentdock.run.events.RunEventType::wire).toList();
        org.assertj.core.api.Assertions.assertThat(mapping).containsOnlyKeys(wire);
        java.util.List<String> oneOf = doc.getList("components.schemas.RunEvent.oneOf.$ref");
        org.assertj.core.api.Assertions.assertThat(oneOf).containsExactlyInAnyOrderElementsOf(mapping.values());
        for (Class<?> record : dev.agentdock.run.events.RunEvent.class.getPermittedSubclasses()) {
            for (Class<?> leaf : record.isInterface() ? record.getPermittedSubclasses() : new Class<?>[] {record}) {
                String name = leaf.getSimpleName() + "Event";
                org.assertj.core.api.Assertions.assertThat(oneOf).as(name).contains("#/components/schemas/" + name);
                org.assertj.core.api.Assertions.assertThat(doc.getMap("components.schemas." + name + ".properties"))
                        .as(name).containsKeys("type", "run_id", "session_id", "event_seq", "ts");
            }
        }
        // the fields as the wire names them, nested records included
        org.assertj.core.api.Assertions.assertThat(doc.getMap("components.schemas.ToolCallCompletedEvent.properties"))
                .containsKeys("tool_call_id", "ok", "result", "error", "duration_ms");
        org.assertj.core.api.Assertions.assertThat(doc.getString(
                "components.schemas.RunCompletedEvent.properties.usage.$ref")).isEqualTo("#/components/schemas/RunEventUsage");
        org.assertj.core.api.Assertions.assertThat(doc.getList(
                "components.schemas.StepDeltaEvent.properties.type.enum")).containsExactly("step_delta");
    }

    @Test
    void theWireReallyIsSnakeCase() {
        // the other half of the promise: the same field, as the route answers it
        given().header("X-User-Id", "openapi-doc").get("/api/session2?scenario_id=simple-handoff").then()
                .statusCode(200).body("$", hasKey("orchestration_ws_url")).body("initial_agents[0]", hasKey("handoff_description"));
    }
}
