package dev.agentdock.scenario;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScenarioResourceTest {

    @Test
    void listShowsTheBundledScenariosInIdOrder() {
        given().get("/api/scenarios").then().statusCode(200)
                .body("id", contains("chat-supervisor", "customer-service-retail", "simple-handoff"))
                .body("find { it.id == 'simple-handoff' }.agent_names", contains("greeter", "haiku_writer"))
                .body("find { it.id == 'simple-handoff' }.default_root_agent", equalTo("greeter"))
                .body("find { it.id == 'customer-service-retail' }.name", equalTo("Customer service (retail)"))
                .body("find { it.id == 'chat-supervisor' }.description", containsString("supervisor"));
    }

    @Test
    void detailHasAgentsWithToolsAsFunctionSchemas() {
        given().get("/api/scenarios/customer-service-retail").then().statusCode(200)
                .body("id", equalTo("customer-service-retail"))
                .body("default_root_agent", equalTo("authentication"))
                .body("guardrails.input.moderation", equalTo(true))
                .body("guardrails.output.pii", equalTo("redact"))
                .body("agents.name", contains("authentication", "returns", "sales"))
                .body("agents[1].handoffs", contains("sales", "authentication"))
                .body("agents[1].approval_tools", contains("process_return"))
                .body("agents[1].voice", equalTo("coral"))
                .body("agents[1].model", equalTo("gpt-4o-mini"))
                .body("agents[1].tools.name", contains("lookup_order", "check_return_eligibility", "process_return", "escalate_to_human"))
                .body("agents[1].tools.type", everyItem(equalTo("function")))
                .body("agents[1].tools[0].description", containsString("order"))
                .body("agents[1].tools[0].parameters.type", equalTo("object"))
                .body("agents[1].tools[0].parameters.properties.orderId.type", equalTo("string"))
                .body("agents[1].tools[0].parameters.properties.orderId.description", containsString("ORD-1001"))
                .body("agents[1].tools[0].parameters.required", contains("orderId"))
                .body("agents[1].tools.find { it.name == 'escalate_to_human' }.parameters.required", contains("reason", "summary"));
    }

    @Test
    void everyBundledAgentHasInstructionsAndADescription() {
        for (String id : new String[]{"simple-handoff", "customer-service-retail", "chat-supervisor"}) {
            given().get("/api/scenarios/" + id).then().statusCode(200)
                    .body("agents.instructions", everyItem(containsString(" ")))
                    .body("agents.description", everyItem(containsString(" ")));
        }
        given().get("/api/scenarios/chat-supervisor").then()
                .body("agents[0].tools.name", hasItems("get_next_response_from_supervisor"))
                .body("agents[1].model", equalTo("gpt-4o"));
    }

    @Test
    void anUnknownScenarioIs404ProblemJson() {
        given().get("/api/scenarios/no-such-scenario").then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(404))
                .body("type", equalTo("https://agentdock.dev/problems/not-found"))
                .body("detail", equalTo("scenario 'no-such-scenario' was not found"))
                .body("instance", equalTo("/api/scenarios/no-such-scenario"));
    }
}
