package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakeOpenAiProfile.class)
class RealtimeSessionTest extends WithFakeOpenAi {

    @Inject
    DataSource db;

    @Test
    void sessionAnswersOnlyTheEphemeralKey() {
        String body = given().get("/api/session").then().statusCode(200)
                .body("value", equalTo("ek_test_1"))
                .body("expires_at", equalTo(1_900_000_000))
                .extract().asString();
        assertThat(JsonPath.from(body).getMap("").keySet()).containsExactlyInAnyOrder("value", "expires_at");
        assertThat(body).doesNotContain(FakeOpenAi.SERVER_KEY);

        FakeOpenAi.Received sent = openAi.received.getFirst();
        assertThat(sent.path()).isEqualTo("/v1/realtime/client_secrets");
        assertThat(sent.authorization()).isEqualTo("Bearer " + FakeOpenAi.SERVER_KEY);
        assertThat(sent.body().getJsonObject("session").getMap())
                .isEqualTo(Map.of("type", "realtime", "model", "gpt-realtime"));
    }

    @Test
    void session2StartsWithTheDefaultRootAndRecordsTheSession() throws SQLException {
        String user = "user-" + UUID.randomUUID();
        String body = given().header("X-User-Id", user).queryParam("scenario_id", "customer-service-retail")
                .get("/api/session2").then().statusCode(200)
                .body("scenario_id", equalTo("customer-service-retail"))
                .body("root_agent", equalTo("authentication"))
                .body("ephemeral_key.value", startsWith("ek_test_"))
                .body("ephemeral_key.expires_at", equalTo(1_900_000_000))
                .body("realtime_model", equalTo("gpt-realtime"))
                .body("initial_agents.name", contains("authentication", "returns", "sales"))
                .body("initial_agents[0].handoffs", contains("returns", "sales"))
                .body("initial_agents[0].voice", equalTo("sage"))
                .body("initial_agents[0].handoff_description", containsString("verifies"))
                .body("initial_agents[0].instructions", containsString("Summit Outfitters"))
                .body("initial_agents[0].tools.name", contains("authenticate_customer", "escalate_to_human"))
                .body("initial_agents[0].tools.type", everyItem(equalTo("function")))
                .body("initial_agents[0].tools[0].parameters.type", equalTo("object"))
                .body("initial_agents[0].tools[0].parameters.properties.phoneNumber.type", equalTo("string"))
                .body("initial_agents[0].tools[0].parameters.required", contains("phoneNumber", "dateOfBirth"))
                .body("initial_agents[1].tools.name", hasItem("process_return"))
                .body("guardrails.input.moderation", equalTo(true))
                .body("guardrails.output.pii", equalTo("redact"))
                .extract().asString();
        assertThat(body).doesNotContain(FakeOpenAi.SERVER_KEY);
        JsonPath payload = JsonPath.from(body);
        String sessionId = payload.getString("session_id");
        assertThat(payload.getString("orchestration_ws_url")).startsWith("ws://").endsWith("/ws/sessions/" + sessionId);
        assertThat(row(sessionId)).isEqualTo(Map.of("user_id", user, "agent_name", "authentication",
                "scenario_id", "customer-service-retail", "root_agent", "authentication"));

        JsonObject session = openAi.received.getFirst().body().getJsonObject("session");
        assertThat(session.getString("type")).isEqualTo("realtime");
        assertThat(session.getString("model")).isEqualTo("gpt-realtime");
        assertThat(session.getString("instructions")).isEqualTo(payload.getString("initial_agents[0].instructions"));
        assertThat(session.getJsonObject("audio").getJsonObject("output").getString("voice")).isEqualTo("sage");
        JsonArray tools = session.getJsonArray("tools");
        assertThat(tools.stream().map(t -> ((JsonObject) t).getString("name")))
                .containsExactly("authenticate_customer", "escalate_to_human", "transfer_to_returns", "transfer_to_sales");
        // transcripts must exist for the timeline and the guardrails, and the model must answer turns by itself
        JsonObject input = session.getJsonObject("audio").getJsonObject("input");
        assertThat(input.getJsonObject("transcription").getString("model")).isEqualTo("gpt-4o-mini-transcribe");
        assertThat(input.getJsonObject("turn_detection").getString("type")).isEqualTo("semantic_vad");
        assertThat(input.getJsonObject("turn_detection").getBoolean("create_response")).isTrue();
        assertThat(session.getJsonArray("output_modalities").getList()).containsExactly("audio");
        assertThat(payload.getList("initial_agents.find { it.name == 'returns' }.approval_tools"))
                .containsExactly("process_return");
        JsonObject first = tools.getJsonObject(0);
        assertThat(first.getString("type")).isEqualTo("function");
        assertThat(first.getString("description")).contains("phone number");
        assertThat(first.getJsonObject("parameters").getJsonObject("properties").fieldNames())
                .containsExactlyInAnyOrder("phoneNumber", "dateOfBirth");
    }

    @Test
    void session2WithAnExplicitRootPutsItFirstAndMintsWithIt() throws SQLException {
        String sessionId = given().queryParam("scenario_id", "customer-service-retail").queryParam("root_agent", "returns")
                .get("/api/session2").then().statusCode(200)
                .body("root_agent", equalTo("returns"))
                .body("initial_agents.name", contains("returns", "authentication", "sales"))
                .extract().path("session_id");
        assertThat(row(sessionId)).containsEntry("user_id", "anonymous").containsEntry("root_agent", "returns");
        JsonObject session = openAi.received.getFirst().body().getJsonObject("session");
        assertThat(session.getString("instructions")).contains("You handle orders, returns and refunds");
        assertThat(session.getJsonObject("audio").getJsonObject("output").getString("voice")).isEqualTo("coral");
        assertThat(session.getJsonArray("tools").stream().map(t -> ((JsonObject) t).getString("name")))
                .containsExactly("lookup_order", "check_return_eligibility", "process_return", "escalate_to_human",
                        "transfer_to_sales", "transfer_to_authentication");
    }

    @Test
    void anAgentWithoutToolsOrVoiceMintsWithoutThem() {
        given().queryParam("scenario_id", "chat-supervisor").queryParam("root_agent", "supervisor")
                .get("/api/session2").then().statusCode(200).body("initial_agents[0].name", equalTo("supervisor"));
        JsonObject session = openAi.received.getFirst().body().getJsonObject("session");
        assertThat(session.getJsonObject("audio").containsKey("output")).isFalse();
        assertThat(session.getJsonArray("tools").size()).isEqualTo(2);
    }

    @Test
    void aMissingScenarioIdIs422NamingIt() {
        problem(given().get("/api/session2").then(), 422)
                .body("errors.field", contains("scenario_id"))
                .body("detail", containsString("scenario_id"));
        assertThat(openAi.received).isEmpty();
    }

    @Test
    void anUnknownScenarioIs404() {
        problem(given().queryParam("scenario_id", "nope").get("/api/session2").then(), 404)
                .body("detail", equalTo("scenario 'nope' was not found"));
        assertThat(openAi.received).isEmpty();
    }

    @Test
    void anUnknownRootAgentIs422ListingTheValidOnes() {
        problem(given().queryParam("scenario_id", "simple-handoff").queryParam("root_agent", "poet")
                .get("/api/session2").then(), 422)
                .body("errors.field", contains("root_agent"))
                .body("detail", containsString("unknown agent 'poet'"))
                .body("detail", containsString("valid: greeter, haiku_writer"));
        assertThat(openAi.received).isEmpty();
    }

    @Test
    void upstream401Is502WithTheUpstreamStatusAndNoKey() {
        openAi.answer = FakeOpenAi.Answer.UNAUTHORIZED;
        upstream("/api/session", 502, 401);
        upstream("/api/session2?scenario_id=simple-handoff", 502, 401)
                .body("detail", equalTo("OpenAI refused the server's API key (401); check OPENAI_API_KEY"));
        assertThat(logs.all()).contains("realtime client_secrets failed: upstream status 401");
    }

    @Test
    void upstream429Is429WithTheUpstreamStatus() {
        openAi.answer = FakeOpenAi.Answer.RATE_LIMITED;
        upstream("/api/session", 429, 429).body("detail", containsString("rate limiting"))
                .header("Retry-After", equalTo("7")).body("retry_after", equalTo(7));
    }

    @Test
    void upstream5xxIs502() {
        openAi.answer = FakeOpenAi.Answer.SERVER_ERROR;
        upstream("/api/session2?scenario_id=simple-handoff", 502, 500);
    }

    @Test
    void anUpstream400PassesTheReasonOnWithoutAnyKey() {
        openAi.answer = FakeOpenAi.Answer.BAD_REQUEST;
        upstream("/api/session", 502, 400).body("detail", containsString("Invalid value: 'shouty'"));
    }

    @Test
    void anUpstreamThatNeverAnswersIs504() {
        openAi.answer = FakeOpenAi.Answer.HANG;
        upstream("/api/session", 504, null).body("detail", containsString("did not answer within 1500 ms"));
    }

    @Test
    void aBrokenUpstreamAnswerIs502() {
        openAi.answer = FakeOpenAi.Answer.NOT_JSON;
        upstream("/api/session", 502, 200);
        openAi.answer = FakeOpenAi.Answer.RESET;
        upstream("/api/session", 502, null);
    }

    @Test
    void aFailedMintRecordsNoSession() throws SQLException {
        openAi.answer = FakeOpenAi.Answer.SERVER_ERROR;
        String user = "user-" + UUID.randomUUID();
        given().header("X-User-Id", user).queryParam("scenario_id", "simple-handoff").get("/api/session2")
                .then().statusCode(502);
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("select count(*) from ai_agent_sessions where user_id = ?")) {
            q.setString(1, user);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    private ValidatableResponse upstream(String path, int status, Integer upstreamStatus) {
        ValidatableResponse r = problem(given().get(path).then(), status)
                .body("type", equalTo("https://agentdock.dev/problems/upstream-failed"))
                .body(not(containsString(FakeOpenAi.SERVER_KEY)))
                .body(not(containsString("sk-test")))
                .body(not(containsString("7f3a9c")));
        return upstreamStatus == null ? r.body("upstream_status", equalTo(null))
                : r.body("upstream_status", equalTo(upstreamStatus));
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status) {
        return r.statusCode(status).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status)).body("detail", not(equalTo(null)));
    }

    private Map<String, String> row(String sessionId) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "select user_id, agent_name, scenario_id, root_agent from ai_agent_sessions where session_id = ?")) {
            q.setObject(1, UUID.fromString(sessionId));
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("session row " + sessionId).isTrue();
                return Map.of("user_id", rs.getString(1), "agent_name", rs.getString(2),
                        "scenario_id", rs.getString(3), "root_agent", rs.getString(4));
            }
        }
    }
}
