package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.common.SseConnection;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/responses} against the built-in simulator over HTTP (no key configured, so the proxy's OpenAI is the
 * simulator). Simulator markers in the input pick the upstream behaviour: {@code [[tokens:N]]}, {@code [[slow:MS]]}
 * between tokens, {@code [[fail:401|429|500|cut|stall]]}. Test limits: first byte 1.5 s, stream idle 1 s.
 */
@QuarkusTest
class ResponsesProxyTest {

    private static final String PATH = "/api/responses";


    private static String body(String input, boolean stream) {
        return "{\"model\":\"gpt-4.1-mini\",\"input\":\"" + input + "\",\"stream\":" + stream + "}";
    }

    private static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).post(PATH).then();
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status) {
        return r.statusCode(status).contentType(startsWith("application/problem+json")).body("status", equalTo(status));
    }

    @Test
    void aNonStreamedResponseIsTheUpstreamJsonAsIs() {
        String request = "{\"model\":\"gpt-4.1-mini\",\"instructions\":\"Be brief.\",\"input\":\"Say hello [[tokens:5]]\","
                + "\"metadata\":{\"ticket\":\"T-9\"},\"store\":false}";
        JsonPath proxied = post(request).statusCode(200).contentType(startsWith("application/json"))
                .extract().jsonPath();
        assertThat(proxied.getString("model")).isEqualTo("gpt-4.1-mini");
        assertThat(proxied.getString("output[0].content[0].text")).startsWith("Echo: Say hello");
        // The simulator's words depend on the whole request, so the same request straight to it gives
        // the same response, ids and timestamps aside: the body went on untouched and the answer came back so.
        JsonPath direct = given().contentType(ContentType.JSON).auth().oauth2("direct").body(request)
                .post("/v1/responses").then().statusCode(200).extract().jsonPath();
        assertThat(withoutIds(proxied)).isEqualTo(withoutIds(direct));
    }

    /** The response minus what differs between two calls: its id, creation time and output item ids. */
    private static Map<String, Object> withoutIds(JsonPath response) {
        Map<String, Object> rest = new HashMap<>(response.getMap("$"));
        rest.remove("id");
        rest.remove("created_at");
        rest.put("output", response.getList("output", Map.class).stream().map(item -> {
            Map<?, ?> withoutId = new HashMap<>(item);
            withoutId.remove("id");
            return withoutId;
        }).toList());
        return rest;
    }

    @Test
    void aStreamRelaysEveryEventInOrder() throws IOException {
        String request = body("Stream it [[tokens:6]]", true);
        List<SseConnection.Event> proxied;
        try (SseConnection sse = SseConnection.post(RestAssured.port, PATH, request, Map.of(), 5_000)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
            proxied = sse.rest();
            assertThat(sse.ending()).isEqualTo(SseConnection.Ending.COMPLETE);
        }
        List<SseConnection.Event> direct;
        try (SseConnection sse = SseConnection.post(RestAssured.port, "/v1/responses", request,
                Map.of("Authorization", "Bearer direct"), 5_000)) {
            direct = sse.rest();
        }
        assertThat(proxied).extracting(SseConnection.Event::name)
                .containsExactlyElementsOf(direct.stream().map(SseConnection.Event::name).toList())
                .contains("response.created", "response.output_text.delta")
                .endsWith("response.completed");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < proxied.size(); i++) {
            JsonPath data = JsonPath.from(proxied.get(i).data());
            assertThat(data.getString("type")).isEqualTo(proxied.get(i).name());
            assertThat(data.getInt("sequence_number")).isEqualTo(i);
            if (proxied.get(i).name().equals("response.output_text.delta")) {
                assertThat(data.getString("delta")).isEqualTo(JsonPath.from(direct.get(i).data()).getString("delta"));
                text.append(data.getString("delta"));
            }
        }
        assertThat(text.toString()).startsWith("Echo: Stream it").isEqualTo(
                JsonPath.from(proxied.getLast().data()).getString("response.output[0].content[0].text"));
    }

    @Test
    void aStreamsFirstEventArrivesWhileTheUpstreamIsStillStreaming() throws IOException {
        int before = ResponsesCalls.inFlight();
        // 12 tokens 300 ms apart: the upstream needs over 3 s after its first event
        try (SseConnection sse = SseConnection.post(RestAssured.port, PATH, body("Slowly [[tokens:12]] [[slow:300]]", true), Map.of(),
                5_000)) {
            SseConnection.Event first = sse.next();
            assertThat(first).isNotNull();
            assertThat(first.name()).isEqualTo("response.created");
            assertThat(ResponsesCalls.inFlight()).as("the upstream call is still open").isEqualTo(before + 1);
            SseConnection.Event delta = sse.next();
            while (delta != null && !delta.name().equals("response.output_text.delta")) {
                delta = sse.next();
            }
            assertThat(delta).isNotNull();
            assertThat(ResponsesCalls.inFlight()).as("the upstream call is still open").isEqualTo(before + 1);
            List<SseConnection.Event> rest = sse.rest();
            assertThat(rest.getLast().name()).isEqualTo("response.completed");
            assertThat(sse.ending()).isEqualTo(SseConnection.Ending.COMPLETE);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ResponsesCalls.inFlight() == before);
    }

    @Test
    void aClientThatHangsUpCancelsTheUpstreamCall() throws IOException {
        int before = ResponsesCalls.inFlight();
        // 40 tokens 500 ms apart: left alone, the upstream would stream for 20 s
        SseConnection sse = SseConnection.post(RestAssured.port, PATH, body("Long one [[tokens:40]] [[slow:500]]", true), Map.of(), 5_000);
        assertThat(sse.next().name()).isEqualTo("response.created");
        assertThat(ResponsesCalls.inFlight()).isEqualTo(before + 1);
        sse.close();
        // Counted out only when the OpenAI connection closed (or the call ended), which the hang-up must cause
        await().atMost(Duration.ofSeconds(5)).until(() -> ResponsesCalls.inFlight() == before);
    }

    @Test
    void aModelOutsideTheAllowlistIs422ListingTheAllowedOnes() {
        problem(post("{\"model\":\"gpt-4-32k\",\"input\":\"hi\"}"), 422)
                .body("type", equalTo("https://agentdock.dev/problems/invalid-request"))
                .body("errors.field", contains("model"))
                .body("detail", containsString("'gpt-4-32k' is not available here"))
                .body("detail", containsString("allowed: gpt-4.1, gpt-4.1-mini, gpt-4.1-nano, gpt-4o, gpt-4o-mini, "
                        + "gpt-5, gpt-5-mini, gpt-5-nano, o4-mini"));
        problem(post("{\"input\":\"hi\"}"), 422).body("errors.field", contains("model"))
                .body("detail", containsString("model: is required; allowed: gpt-4.1"));
    }

    private static ValidatableResponse postAs(String user, String json) {
        return given().contentType(ContentType.JSON).header("X-User-Id", user).body(json).post(PATH).then();
    }

    private static String continuing(String previous, boolean stream) {
        return "{\"model\":\"gpt-4.1-mini\",\"input\":\"and then?\",\"stream\":" + stream
                + ",\"previous_response_id\":\"" + previous + "\"}";
    }

    @Test
    void onlyTheUserWhoCreatedAResponseMayContinueIt() {
        String alice = "alice-" + java.util.UUID.randomUUID();
        String bob = "bob-" + java.util.UUID.randomUUID();
        String first = postAs(alice, body("hello", false)).statusCode(200).extract().path("id");
        assertThat(first).startsWith("resp_");
        // recorded as the answer goes out; the continuation reaches OpenAI, which echoes what it continues
        await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                postAs(alice, continuing(first, false)).statusCode(200).body("previous_response_id", equalTo(first)));

        problem(postAs(bob, continuing(first, false)), 404).body("detail", containsString(first));
        problem(postAs(alice, continuing("resp_never_made_here", false)), 404)
                .body("type", equalTo("https://agentdock.dev/problems/not-found"));

        // a streamed response is recorded from its response.created event
        String events = postAs(alice, body("stream me", true)).statusCode(200).extract().asString();
        java.util.regex.Matcher created = java.util.regex.Pattern
                .compile("\"type\":\"response.created\".*?\"id\":\"(resp_[A-Za-z0-9]+)\"").matcher(events);
        assertThat(created.find()).as(events).isTrue();
        String streamed = created.group(1);
        await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                postAs(alice, continuing(streamed, true)).statusCode(200));
        problem(postAs(bob, continuing(streamed, true)), 404);

        problem(postAs(alice, "{\"model\":\"gpt-4.1-mini\",\"input\":\"x\",\"previous_response_id\":42}"), 400);
        problem(postAs(alice, continuing("resp with spaces", false)), 422)
                .body("errors.field", contains("previous_response_id"));
    }

    @Test
    void whatCostsExtraOrReachesAcrossTenantsIsRefusedBeforeOpenAiSeesIt() {
        // a key given twice: one parser would check the first, OpenAI might read the second
        problem(post("{\"model\":\"o1-pro\",\"input\":\"hi\",\"model\":\"gpt-4o-mini\"}"), 400)
                .body("detail", containsString("Duplicate field 'model'"));
        for (String field : new String[] {"service_tier", "background", "prompt", "conversation"}) {
            problem(post("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"" + field + "\":\"x\"}"), 422)
                    .body("errors.field", contains(field)).body("detail", containsString("not passed through"));
        }
        problem(post("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"max_output_tokens\":1000000}"), 422)
                .body("errors.field", contains("max_output_tokens"));
        problem(post("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},"
                + "{\"type\":\"mcp\",\"server_url\":\"https://evil.example\"}]}"), 422)
                .body("errors.field", contains("tools[1].type"));
        problem(post("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"tools\":[{\"type\":\"file_search\","
                + "\"vector_store_ids\":[\"vs_other_tenant\"]}]}"), 422).body("errors.field", contains("tools[0].type"));
        // what is allowed still goes through
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"max_output_tokens\":100,"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}]}")
                .post(PATH).then().statusCode(200);
    }

    @Test
    void aBodyThatIsNotARequestIs400() {
        problem(post("{\"model\":"), 400).body("type", equalTo("https://agentdock.dev/problems/malformed-json"))
                .body("detail", startsWith("the request body is not valid JSON at line 1"));
        problem(post("[{\"model\":\"gpt-4o\"}]"), 400)
                .body("detail", equalTo("the request body must be a JSON object (a Responses API request)"));
        problem(post("{\"model\":42,\"input\":\"hi\"}"), 400)
                .body("detail", equalTo("model: wrong type, expected string")).body("errors.field", contains("model"));
        problem(post("{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":\"yes\"}"), 400)
                .body("detail", equalTo("stream: wrong type, expected boolean"));
        problem(given().contentType(ContentType.JSON).post(PATH).then(), 400)
                .body("detail", startsWith("the request body is missing"));
        problem(given().contentType(ContentType.TEXT).body(body("hi", false)).post(PATH).then(), 415);
        problem(given().get(PATH).then(), 405).header("Allow", equalTo("POST"));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws IOException {
        HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + RestAssured.port
                + PATH).toURL().openConnection();
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setChunkedStreamingMode(8192);
        conn.setRequestProperty("Content-Type", "application/json");
        dev.agentdock.TestIdentity.asHeaders(Map.of()).forEach(conn::setRequestProperty);
        try (OutputStream out = conn.getOutputStream()) {
            out.write(("{\"model\":\"gpt-4o\",\"input\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the server may answer and close before the whole body is sent
        }
        assertThat(conn.getResponseCode()).isEqualTo(413);
        assertThat(conn.getContentType()).startsWith("application/problem+json");
        String problem = new String(conn.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(JsonPath.from(problem).getString("detail")).isEqualTo("the request body is larger than 1048576 bytes");
    }

    @Test
    void anUpstream429Is429WithItsRetryAfter() {
        for (boolean stream : new boolean[] {false, true}) {
            problem(post(body("busy [[fail:429]]", stream)), 429)
                    .body("type", equalTo("https://agentdock.dev/problems/upstream-failed"))
                    .body("upstream_status", equalTo(429))
                    .body("detail", startsWith("OpenAI is rate limiting this service; try again shortly: Rate limit"))
                    // the simulator sends retry-after-ms: 50, rounded up to whole seconds
                    .header("Retry-After", equalTo("1")).body("retry_after", equalTo(1));
        }
    }

    @Test
    void anUpstream401Is502SayingTheServersKeyWasRefused() {
        for (boolean stream : new boolean[] {false, true}) {
            problem(post(body("who [[fail:401]]", stream)), 502)
                    .body("upstream_status", equalTo(401))
                    .body("detail", equalTo("OpenAI refused the server's API key (401); check OPENAI_API_KEY"));
        }
    }

    @Test
    void anUpstream5xxIs502() {
        for (boolean stream : new boolean[] {false, true}) {
            problem(post(body("boom [[fail:500]]", stream)), 502)
                    .body("upstream_status", equalTo(500))
                    .body("detail", equalTo("OpenAI failed to create the response (500)"));
        }
    }

    @Test
    void anUpstream400IsPassedOnWithOpenAisMessage() {
        for (boolean stream : new boolean[] {false, true}) {
            problem(post("{\"model\":\"gpt-4o\",\"stream\":" + stream + "}"), 400)
                    .body("upstream_status", equalTo(400))
                    .body("detail", equalTo("OpenAI rejected the response (400): Missing required parameter: 'input'."));
        }
    }

    @Test
    void anUpstreamThatNeverAnswersIs504() {
        problem(post(body("silence [[fail:stall]]", false)), 504)
                .body("detail", equalTo("OpenAI did not answer within 1500 ms"))
                .body("upstream_status", equalTo(null));
    }

    @Test
    void anUpstreamThatHangsUpBeforeAnsweringIs502() {
        problem(post(body("gone [[fail:cut]]", false)), 502)
                .body("detail", equalTo("the connection to OpenAI failed"));
    }

    @Test
    void aStreamCutMidwayEndsWithAnErrorEvent() throws IOException {
        try (SseConnection sse = SseConnection.post(RestAssured.port, PATH, body("Cut me [[tokens:20]] [[fail:cut]]", true), Map.of(), 5_000)) {
            assertThat(sse.status()).isEqualTo(200);
            List<SseConnection.Event> events = sse.rest();
            assertThat(sse.ending()).as("ended, not left hanging").isEqualTo(SseConnection.Ending.COMPLETE);
            assertThat(events.size()).isGreaterThan(4);
            assertThat(events).extracting(SseConnection.Event::name).doesNotContain("response.completed");
            SseConnection.Event error = events.getLast();
            assertThat(error.name()).isEqualTo("error");
            JsonPath data = JsonPath.from(error.data());
            assertThat(data.getString("type")).isEqualTo("error");
            assertThat(data.getString("code")).isEqualTo("upstream_failed");
            assertThat(data.getString("message")).isEqualTo("the connection to OpenAI failed");
            assertThat(data.getMap("$")).containsKey("param");
            int lastRelayed = JsonPath.from(events.get(events.size() - 2).data()).getInt("sequence_number");
            assertThat(data.getInt("sequence_number")).isEqualTo(lastRelayed + 1);
        }
    }

    @Test
    void aStreamThatFallsSilentEndsWithAnErrorEventAfterTheIdleTimeout() throws IOException {
        int before = ResponsesCalls.inFlight();
        try (SseConnection sse = SseConnection.post(RestAssured.port, PATH, body("Stall me [[tokens:20]] [[fail:stall]]", true), Map.of(), 5_000)) {
            List<SseConnection.Event> events = sse.rest();
            assertThat(sse.ending()).isEqualTo(SseConnection.Ending.COMPLETE);
            assertThat(events).extracting(SseConnection.Event::name).contains("response.output_text.delta");
            JsonPath error = JsonPath.from(events.getLast().data());
            assertThat(events.getLast().name()).isEqualTo("error");
            assertThat(error.getString("code")).isEqualTo("upstream_timeout");
            assertThat(error.getString("message")).isEqualTo("OpenAI stopped sending for 1000 ms");
        }
        // the stalled upstream call was closed, not left to the simulator's own 60 s stall timeout
        await().atMost(Duration.ofSeconds(5)).until(() -> ResponsesCalls.inFlight() == before);
    }
}
