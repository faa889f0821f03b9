package dev.agentdock.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.RedisPeer;
import dev.agentdock.TestIdentity;
import dev.agentdock.common.CapturedLogs;
import dev.agentdock.common.MetricsScrape;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "The server's OpenAI key never appears in any response or log line": one run through every public endpoint
 * (each {@code @Path} resource, the {@code /api/responses} route, both sockets, health, OpenAPI and metrics), on
 * their good paths and their failure paths (OpenAI refusing the key, failing, rate limiting, breaking off; bad
 * input), with DEBUG logging, capturing every log record and every response's status line, headers and body.
 */
@QuarkusTest
@TestProfile(ServerKeyProfile.class)
class ServerKeyNeverLeaksTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern SESSION_ID = Pattern.compile("\"session_id\":\"([0-9a-f-]{36})\"");
    private static final Pattern RUN_ID = Pattern.compile("\"run_id\":\"([0-9a-f-]{36})\"");

    @Inject
    OpenAiEndpoints openAi;

    /** One request and everything that came back for it. */
    record Exchange(String request, int status, String headers, String body) {
        String text() {
            return request + " -> " + status + "\n" + headers + "\n" + body;
        }
    }

    private final List<Exchange> exchanges = new ArrayList<>();
    private final String user = "keysweep-" + UUID.randomUUID();
    /** Every access token this sweep presented: a token must not come back either. */
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void tokens() {
        TestIdentity.useJwt(ServerKeyProfile.JWT_SECRET, ServerKeyProfile.JWT_ISSUER);
    }

    @AfterAll
    static void noTokens() {
        TestIdentity.useJwt(null, null);
    }

    private String bearer() {
        String bearer = TestIdentity.bearer(user);
        tokens.add(bearer.substring("Bearer ".length()));
        return bearer;
    }

    @Test
    void theServerKeyAppearsInNoResponseAndNoLogLine() throws Exception {
        OpenAiTarget target = openAi.resolve();
        assertThat(target.simulated()).as("OpenAI is reached with the configured key").isFalse();
        assertThat(target.apiKey()).isEqualTo(ServerKeyProfile.SERVER_KEY);

        CapturedLogs logs = CapturedLogs.install();
        List<String> frames = new CopyOnWriteArrayList<>();
        try {
            sweep(frames);
        } finally {
            logs.uninstall();
        }

        // The sweep did reach OpenAI with the key, through its failures too, and DEBUG records were captured.
        assertThat(exchanges.stream().map(Exchange::status).collect(Collectors.toSet()))
                .contains(200, 400, 404, 405, 422, 429, 502);
        assertThat(logs.all()).contains("responses proxy failed: upstream status 401")
                .contains("simulated=false") // /api/session2 minted through the configured key
                .contains("responses proxy: gpt-4o-mini response relayed"); // a DEBUG line
        assertThat(frames).anyMatch(f -> f.contains("\"pong\"")).anyMatch(f -> f.contains("\"error\""));

        // the user's socket saw the failed runs, and the replay stream a re-joining socket reads holds them
        assertThat(frames).anyMatch(f -> f.contains("\"run_failed\""));
        List<String> replay = RedisPeer.xrange("agentdock:user:" + user + ":events", "-", "+").stream()
                .map(Object::toString).toList();
        assertThat(replay).anyMatch(entry -> entry.contains("run_failed"));

        List<String> secrets = new ArrayList<>(List.of(ServerKeyProfile.SERVER_KEY, ServerKeyProfile.KEY_CORE,
                ServerKeyProfile.JWT_SECRET, ServerKeyProfile.SERVICE_KEY));
        secrets.addAll(tokens);
        for (String secret : secrets) {
            for (Exchange exchange : exchanges) {
                assertThat(exchange.text()).as(exchange.request()).doesNotContain(secret);
            }
            assertThat(frames).noneMatch(f -> f.contains(secret));
            assertThat(replay).noneMatch(entry -> entry.contains(secret));
            assertThat(logs.all()).doesNotContain(secret);
        }
    }

    private void sweep(List<String> frames) throws Exception {
        for (String path : List.of("/api/health", "/q/health/live", "/q/health/ready", "/q/openapi", "/api/scenarios",
                "/api/scenarios/customer-service-retail", "/api/scenarios/nope", "/api/session",
                "/api/session2?scenario_id=customer-service-retail", "/api/session2", "/api/session2?scenario_id=nope",
                "/api/tools", "/api/nothing-here")) {
            get(path);
        }

        // the Responses proxy: answered, streamed, refused, failing upstream, broken off, bad input
        responses("{\"model\":\"gpt-4o-mini\",\"input\":\"hello\"}");
        responses("{\"model\":\"gpt-4o-mini\",\"input\":\"hello [[tokens:4]]\",\"stream\":true}");
        for (String failure : List.of("401", "429", "500", "cut", "stall")) {
            responses("{\"model\":\"gpt-4o-mini\",\"input\":\"x [[fail:" + failure + "]]\"}");
            responses("{\"model\":\"gpt-4o-mini\",\"input\":\"x [[fail:" + failure + "]]\",\"stream\":true}");
        }
        responses("{\"model\":\"gpt-4-32k\",\"input\":\"x\"}");
        responses("{\"model\":");
        responses("{\"model\":\"gpt-4o\"}");
        send("GET", "/api/responses", null, Map.of());

        // the user's socket, open while the turns below fail: their run_failed frames reach it
        List<String> userFrames = new CopyOnWriteArrayList<>();
        WebSocketClientConnection userSocket = BasicWebSocketConnector.create()
                .baseUri(URI.create("http://localhost:" + RestAssured.port)).path("/ws/me")
                .addHeader("Authorization", bearer())
                .onTextMessage((c, text) -> userFrames.add(text))
                .connectAndAwait();

        // a turn, and everything that hangs off its session and run
        String chat = post("/api/agents/assistant/chat", "{\"message\":\"hello there\"}").body();
        String session = first(SESSION_ID, chat);
        String run = first(RUN_ID, chat);
        send("POST", "/api/agents/assistant/chat", "{\"message\":\"again\",\"session_id\":\"" + session + "\"}",
                Map.of("Accept", "application/json", "Content-Type", "application/json"));
        for (String failure : List.of("401", "429", "500", "cut", "malformed")) {
            String failed = post("/api/agents/assistant/chat", "{\"message\":\"x [[fail:" + failure + "]]\"}").body();
            get("/api/runs/" + first(RUN_ID, failed)); // the stored run's error
        }
        send("POST", "/api/agents/assistant/chat", "{\"message\":\"x [[fail:401]]\"}",
                Map.of("Accept", "application/json", "Content-Type", "application/json")); // the JSON answer's error
        await().atMost(Duration.ofSeconds(10)).until(() -> userFrames.stream().filter(f -> f.contains("run_failed"))
                .count() >= 2);
        userSocket.closeAndAwait();
        frames.addAll(userFrames);
        post("/api/agents/assistant/chat", "{\"message\":42}");
        post("/api/agents/assistant/chat", "{\"message\":");
        post("/api/agents/assistant/stop", "{\"session_id\":\"" + session + "\"}");
        for (String path : List.of("/api/agents/assistant/sessions", "/api/agents/assistant/sessions/" + session,
                "/api/sessions/" + session + "/steps", "/api/sessions/" + session + "/steps/1",
                "/api/sessions/" + session + "/branches", "/api/sessions/" + session + "/context",
                "/api/sessions/" + session + "/summary", "/api/sessions/" + session + "/runs", "/api/runs/" + run,
                "/api/runs/" + run + "/stream?after=0", "/api/runs/not-a-uuid")) {
            get(path);
        }
        String fork = first(Pattern.compile("\"new_session_id\":\"([0-9a-f-]{36})\""),
                post("/api/sessions/" + session + "/fork", "{\"sequence\":2}").body());
        post("/api/sessions/" + fork + "/retry", "{\"sequence\":2}");
        send("DELETE", "/api/sessions/" + fork + "/steps?start_seq=2", null, Map.of());
        post("/api/runs/" + run + "/cancel", null);
        post("/api/runs/" + run + "/approve", "{\"tool_call_id\":\"call_x\",\"approved\":true}");
        post("/api/sessions/" + session + "/realtime/items", "{\"items\":[{\"id\":\"item_1\",\"type\":\"message\","
                + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"spoken words\"}]}]}");

        // the Agents SDK surface
        String sdkSession = UUID.randomUUID().toString();
        post("/api/sdk/session/create", "{\"session_id\":\"" + sdkSession + "\",\"agent_name\":\"helper\","
                + "\"instructions\":\"Be brief.\"}");
        post("/api/sdk/session/message", "{\"session_id\":\"" + sdkSession + "\",\"user_input\":\"hi\"}");
        get("/api/sdk/session/transcript?session_id=" + sdkSession);
        post("/api/agent/run", "{\"input\":\"hi\"}");
        post("/api/agent/run", "{\"input\":\"x [[fail:401]]\"}");

        // context, orchestration, tools, moderation
        post("/api/context/snapshot", "{\"page\":{\"path\":\"/orders\",\"title\":\"Orders\"}}");
        post("/api/orchestrate", "{\"session_id\":\"" + session + "\",\"scenario_id\":\"customer-service-retail\","
                + "\"last_user_message\":\"I want to return my boots\"}");
        post("/api/orchestrate", "{\"scenario_id\":\"customer-service-retail\",\"last_user_message\":\"x [[fail:401]]\"}");
        send("POST", "/api/tools/execute", "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}}",
                Map.of("Content-Type", "application/json", "X-Service-Key", ServerKeyProfile.SERVICE_KEY,
                        "X-User-Id", user));
        post("/api/tools/execute", "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}}");
        post("/api/moderate", "{\"text\":\"mail me at a@example.com\",\"stage\":\"input\"}");
        post("/api/moderate", "{\"text\":\"x [[fail:401]]\",\"stage\":\"output\"}");
        post("/api/moderate", "{\"text\":\"x\",\"stage\":\"sideways\"}");

        // the sockets: a ping, and a frame the server cannot use
        for (String path : List.of("/ws/sessions/" + session, "/ws/me")) {
            List<String> received = new CopyOnWriteArrayList<>();
            WebSocketClientConnection socket = BasicWebSocketConnector.create()
                    .baseUri(URI.create("http://localhost:" + RestAssured.port)).path(path)
                    .addHeader("Authorization", bearer())
                    .onTextMessage((c, text) -> received.add(text))
                    .connectAndAwait();
            socket.sendTextAndAwait("{\"type\":\"ping\"}");
            socket.sendTextAndAwait("not json at all");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(f -> f.contains("\"pong\""))
                    && received.stream().anyMatch(f -> f.contains("\"error\"")));
            socket.closeAndAwait();
            frames.addAll(received);
        }

        // last: it has seen all of the above
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + MetricsScrape.managementPort() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        exchanges.add(new Exchange("GET /q/metrics (management)", metrics.statusCode(),
                metrics.headers().map().toString(), metrics.body()));
    }

    private Exchange get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, Map.of());
    }

    private Exchange post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json, Map.of("Content-Type", "application/json"));
    }

    private void responses(String json) throws IOException, InterruptedException {
        post("/api/responses", json);
    }

    private Exchange send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!headers.containsKey("X-Service-Key")) {
            request.header("Authorization", bearer());
        }
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Exchange exchange = new Exchange(method + " " + path, response.statusCode(),
                response.headers().map().toString(), response.body());
        exchanges.add(exchange);
        return exchange;
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in " + text).isTrue();
        return m.group(1);
    }
}
