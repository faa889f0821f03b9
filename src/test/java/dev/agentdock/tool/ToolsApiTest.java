package dev.agentdock.tool;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.agentdock.InProcessOnly;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ToolsApiTest {

    static final String KEY = "test-service-key";


    static ValidatableResponse execute(String user, String serviceKey, Object body) {
        var request = given().contentType(ContentType.JSON).header("X-User-Id", user).body(body);
        if (serviceKey != null) {
            request.header(ServiceKeyCheck.HEADER, serviceKey);
        }
        return request.post("/api/tools/execute").then();
    }

    static ValidatableResponse asBackend(Object body) {
        return execute("user-" + UUID.randomUUID(), KEY, body);
    }

    /** A session of that agent, made the way a client makes one: by a first turn. */
    private UUID sessionOf(String user, String agent) {
        return UUID.fromString(new dev.agentdock.run.SseChatClient().chat(agent, user, Map.of("message", "hello"))
                .getLast().event().get("session_id").asText());
    }

    @Test
    void listingShowsEveryToolWithItsJsonSchemaAndTimeLimit() {
        given().get("/api/tools").then().statusCode(200)
                .body("name", hasItems("echo", "get_current_time", "store_draft_content", "fetch_project_context"))
                .body("find { it.name == 'echo' }.description", containsString("unchanged"))
                .body("find { it.name == 'echo' }.parameters.type", equalTo("object"))
                .body("find { it.name == 'echo' }.parameters.properties.text.type", equalTo("string"))
                .body("find { it.name == 'echo' }.parameters.required", hasItem("text"))
                .body("find { it.name == 'echo' }.parameters.additionalProperties", equalTo(false))
                .body("find { it.name == 'echo' }.timeout_ms", equalTo(10_000))
                .body("find { it.name == 'store_draft_content' }.parameters.properties.content_type.enum",
                        hasItems("markdown", "text", "html", "json"))
                .body("find { it.name == 'store_draft_content' }.parameters.required", hasItems("title", "content"))
                .body("find { it.name == 'fetch_project_context' }.parameters.required", hasItem("project_id"));
    }

    @Test
    void echoRunsForATrustedBackend() {
        asBackend(Map.of("name", "echo", "arguments", Map.of("text", "hello"))).statusCode(200)
                .body("name", equalTo("echo")).body("ok", equalTo(true)).body("result", equalTo("hello"))
                .body("error", nullValue()).body("duration_ms", notNullValue());
    }

    @Test
    void currentTimeRunsWithAndWithoutItsOptionalZone() {
        asBackend(Map.of("name", "get_current_time", "arguments", Map.of("timezone", "Europe/Paris")))
                .statusCode(200).body("ok", equalTo(true)).body("result", containsString("Europe/Paris"));
        asBackend(Map.of("name", "get_current_time")).statusCode(200)
                .body("ok", equalTo(true)).body("result", containsString("UTC"));
    }

    @Test
    void aToolThatFailsIsStillA200WithTheError() {
        asBackend(Map.of("name", "get_current_time", "arguments", Map.of("timezone", "Mars/Olympus")))
                .statusCode(200).body("ok", equalTo(false)).body("error", containsString("Mars/Olympus"))
                .body("result", nullValue());
    }

    @Test
    @InProcessOnly // slow_lookup is a test-only tool: not in the packaged jar
    void aToolOverItsTimeLimitEndsAsATimeout() {
        given().get("/api/tools").then().statusCode(200).body("find { it.name == 'slow_lookup' }.timeout_ms", equalTo(200));
        asBackend(Map.of("name", "slow_lookup", "arguments", Map.of("query", "anything"))).statusCode(200)
                .body("ok", equalTo(false)).body("error", containsString("timed out after 200 ms"))
                .body("duration_ms", greaterThan(150f)).body("duration_ms", lessThan(4000f));
    }

    @Test
    void anUnknownToolIs404() {
        asBackend(Map.of("name", "no_such_tool", "arguments", Map.of())).statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no_such_tool"));
    }

    @Test
    void withoutSessionOrServiceKeyTheCallIsForbidden() {
        execute("user-" + UUID.randomUUID(), null, Map.of("name", "echo", "arguments", Map.of("text", "x")))
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("X-Service-Key"));
        // a wrong key is refused by authentication itself, before any tool rule
        execute("user-" + UUID.randomUUID(), "wrong-key", Map.of("name", "echo", "arguments", Map.of("text", "x")))
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aToolOfTheSessionsAgentRunsWithoutServiceKey() {
        String user = "user-" + UUID.randomUUID();
        UUID session = sessionOf(user, "assistant");
        execute(user, null, Map.of("name", "echo", "arguments", Map.of("text", "in session"), "session_id", session.toString()))
                .statusCode(200).body("ok", equalTo(true)).body("result", equalTo("in session"));
    }

    @Test
    void aToolThatNeedsApprovalCannotBeRunDirectlyByTheSessionsUser() {
        String user = "user-" + UUID.randomUUID();
        UUID session = sessionOf(user, "returns");
        Map<String, Object> call = Map.of("name", "process_return", "arguments",
                Map.of("orderId", "ORD-1001", "sku", "TENT-2P", "reason", "too small"), "session_id", session.toString());
        execute(user, null, call).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("approval"));
        // a tool of the same agent that needs none still runs, for the session's verified caller
        dev.agentdock.TestCustomers.verifyAsMaya(user, session.toString());
        execute(user, null, Map.of("name", "lookup_order", "arguments", Map.of("orderId", "ORD-1001"),
                "session_id", session.toString())).statusCode(200).body("ok", equalTo(true));
        // a trusted backend may run it directly
        execute(user, KEY, call).statusCode(200).body("ok", equalTo(true)).body("result", containsString("RMA-"));
    }

    @Test
    void customerDataNeedsAVerifiedCallerInASessionEvenForATrustedBackend() {
        String user = "user-" + UUID.randomUUID();
        // without a session there is nobody verified: not even the service key reads a customer's data
        for (Map<String, Object> call : List.of(
                Map.<String, Object>of("name", "lookup_order", "arguments", Map.of("orderId", "ORD-1001")),
                Map.<String, Object>of("name", "get_account_info", "arguments", Map.of("phoneNumber", "2065550142")),
                Map.<String, Object>of("name", "process_return", "arguments",
                        Map.of("orderId", "ORD-1001", "sku", "TENT-2P", "reason", "too small")),
                Map.<String, Object>of("name", "authenticate_customer", "arguments",
                        Map.of("phoneNumber", "2065550142", "dateOfBirth", "1988-04-12")))) {
            execute(user, KEY, call).statusCode(200).body("ok", equalTo(false))
                    .body("error", containsString("session"));
        }
        // in a session whose caller is not verified, the agent's tool refuses too
        UUID session = sessionOf(user, "returns");
        execute(user, null, Map.of("name", "lookup_order", "arguments", Map.of("orderId", "ORD-1001"),
                "session_id", session.toString())).statusCode(200).body("ok", equalTo(false))
                .body("error", containsString("authenticate_customer"));
    }

    @Test
    void aToolOutsideTheAgentsAllowlistIs403() {
        String user = "user-" + UUID.randomUUID();
        UUID session = sessionOf(user, "assistant");
        execute(user, null, Map.of("name", "store_draft_content",
                "arguments", Map.of("title", "t", "content", "c"), "session_id", session.toString()))
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("store_draft_content"));
    }

    @Test
    @InProcessOnly // writes a session whose agent has left the configuration straight into the database
    void aSessionOfAnAgentNobodyKnowsAllowsNoTools() {
        String user = "user-" + UUID.randomUUID();
        UUID session = UUID.randomUUID();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> io.quarkus.arc.Arc.container()
                .instance(dev.agentdock.session.SessionRepository.class).get().create(session, user, "ghost-agent"));
        execute(user, null, Map.of("name", "echo", "arguments", Map.of("text", "x"), "session_id", session.toString()))
                .statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anotherUsersSessionIs404EvenWithTheServiceKey() {
        UUID session = sessionOf("user-" + UUID.randomUUID(), "assistant");
        execute("user-" + UUID.randomUUID(), KEY, Map.of("name", "echo", "arguments", Map.of("text", "x"),
                "session_id", session.toString()))
                .statusCode(404).contentType("application/problem+json").body("detail", containsString(session.toString()));
    }

    @Test
    void aMalformedSessionIdIs422() {
        asBackend(Map.of("name", "echo", "arguments", Map.of("text", "x"), "session_id", "nope"))
                .statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("session_id"));
    }

    @Test
    void aMissingNameIs422() {
        asBackend(Map.of("arguments", Map.of())).statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("name"));
    }
}
