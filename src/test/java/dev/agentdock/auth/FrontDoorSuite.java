package dev.agentdock.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.common.MetricsScrape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The front door, tried as an attacker would: every route of the OpenAPI document (so a new route is covered
 * without editing this test), the {@code /api/responses} route and both sockets, with no credentials, an expired
 * token, a forged token, another user's token and spellings of the path that mean the same route to one layer and
 * another thing to the next ({@code ;}, {@code ;x=1} on any segment, {@code //}, {@code %2e}, {@code %2F}, a
 * trailing slash, changed case, HEAD). Nothing but {@code /api/health} answers without a valid token; another user
 * gets 404 for whatever names a session or run it does not own. Raw requests (the JDK client), so paths are sent
 * exactly as written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FrontDoorSuite {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> PUBLIC = Set.of("/api/health");
    /** Routes outside JAX-RS, which the OpenAPI document does not list. */
    private static final Map<String, String> NON_JAXRS = Map.of("/api/responses", "post");

    private String base;
    private String owner;
    private String session;
    private String run;

    /** The HS256 secret and issuer the app under test verifies tokens with. */
    abstract String secret();

    abstract String issuer();

    /** How a route refuses a request without a valid caller: 401 (the path policy refuses before anything routes). */
    boolean refusedWithoutACaller(int status) {
        return status == 401;
    }

    /** How a HEAD of a route refuses a request without a caller: 401 at the gate, or 405 where HEAD is no method. */
    boolean headRefused(int status) {
        return status == 401 || status == 405;
    }

    private String token(String subject, long expiresInSeconds) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(issuer()).subject(subject).audience("authenticated").claim("role", "authenticated")
                .issuedAt(Math.min(now, now + expiresInSeconds - 60)).expiresAt(now + expiresInSeconds)
                .signWithSecret(secret());
    }

    /** Once per suite, on first use (RestAssured knows the app's port only once a test runs). */
    private void ownerWithASessionAndARun() throws Exception {
        if (run != null) {
            return;
        }
        base = RestAssured.baseURI + ":" + RestAssured.port;
        owner = "owner-" + UUID.randomUUID();
        HttpResponse<String> turn = send("POST", "/api/agents/assistant/chat", bearer(owner), "{\"message\":\"hello\"}");
        assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
        session = JSON.readTree(turn.body()).get("session_id").asText();
        run = JSON.readTree(turn.body()).get("run_id").asText();
    }

    private Map<String, String> bearer(String user) {
        return Map.of("Authorization", "Bearer " + token(user, 300));
    }

    /** Every route (path template → methods) the service serves under /api. */
    private Map<String, Set<String>> routes() throws Exception {
        ownerWithASessionAndARun();
        HttpResponse<String> doc = send("GET", "/q/openapi?format=json", Map.of(), null);
        assertThat(doc.statusCode()).isEqualTo(200);
        Map<String, Set<String>> routes = new java.util.TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = JSON.readTree(doc.body()).get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Set<String> methods = new LinkedHashSet<>();
            path.getValue().fieldNames().forEachRemaining(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            routes.put(path.getKey(), methods);
        }
        NON_JAXRS.forEach((path, method) -> routes.put(path, Set.of(method.toUpperCase(Locale.ROOT))));
        assertThat(routes.keySet()).as("the document lists the API").contains("/api/agents/{agent}/chat",
                "/api/session", "/api/session2", "/api/tools/execute", "/api/runs/{run_id}/stream");
        assertThat(routes).hasSizeGreaterThan(25);
        return routes;
    }

    private String concrete(String template) {
        return template.replace("{agent}", "assistant").replace("{session_id}", session).replace("{id}", session)
                .replace("{run_id}", run).replace("{sequence}", "1").replaceAll("\\{[^}]+}", "x");
    }

    @Test
    void noRouteButHealthAnswersWithoutAValidToken() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> expired = Map.of("Authorization", "Bearer " + token(owner, -120));
        Map<String, String> forged = Map.of("Authorization", "Bearer " + Jwt.issuer(issuer()).subject(owner)
                .audience("authenticated").expiresAt(Instant.now().getEpochSecond() + 300)
                .signWithSecret("another-secret-that-is-long-enough-for-hs256"));
        for (Map.Entry<String, Set<String>> route : routes().entrySet()) {
            if (PUBLIC.contains(route.getKey())) {
                continue;
            }
            String path = concrete(route.getKey());
            for (String method : route.getValue()) {
                for (Map<String, String> credentials : List.of(Map.<String, String>of(), expired, forged,
                        Map.of("X-User-Id", owner), Map.of("X-Service-Key", "guessed"))) {
                    HttpResponse<String> response = send(method, path, credentials, body(method));
                    if (!refusedWithoutACaller(response.statusCode()) || !problem(response)) {
                        failures.add(method + " " + path + " " + credentials.keySet() + " → " + response.statusCode());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void noSpellingOfARouteGetsPastTheGate() throws Exception {
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Map.Entry<String, Set<String>> route : routes().entrySet()) {
            String path = concrete(route.getKey());
            for (String variant : variants(path)) {
                for (String method : route.getValue()) {
                    HttpResponse<String> response = send(method, variant, Map.of(), body(method));
                    tried++;
                    int status = response.statusCode();
                    if (PUBLIC.contains(route.getKey()) && status == 200) {
                        continue; // a spelling of the public route that normalizes to it
                    }
                    if (!(status == 400 || status == 404 || status == 405 || refusedWithoutACaller(status))
                            || !problem(response)) {
                        failures.add(method + " " + variant + " → " + status + " " + abbreviated(response.body()));
                    }
                }
            }
            if (!PUBLIC.contains(route.getKey())) {
                HttpResponse<String> head = send("HEAD", path, Map.of(), null);
                tried++;
                if (!headRefused(head.statusCode())) {
                    failures.add("HEAD " + path + " → " + head.statusCode());
                }
            }
        }
        assertThat(tried).isGreaterThan(300);
        assertThat(failures).isEmpty();
    }

    @Test
    void anotherUserGetsNotFoundForWhatItDoesNotOwn() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> intruder = bearer("intruder-" + UUID.randomUUID());
        for (Map.Entry<String, Set<String>> route : routes().entrySet()) {
            if (!route.getKey().contains("{session_id}") && !route.getKey().contains("{id}")
                    && !route.getKey().contains("{run_id}")) {
                continue;
            }
            String path = concrete(route.getKey());
            for (String method : route.getValue()) {
                // the query parameters some routes require, so that only ownership can refuse
                HttpResponse<String> response = send(method, path + "?start_seq=1", intruder, body(method));
                int status = response.statusCode();
                boolean ok = method.equals("GET") || method.equals("DELETE") ? status == 404
                        // a body that fails validation (or comes in another media type) may be refused before
                        // the lookup, never served
                        : status == 404 || status == 415 || status == 422;
                if (!ok || !problem(response)) {
                    failures.add(method + " " + path + " → " + status + " " + abbreviated(response.body()));
                }
            }
        }
        assertThat(failures).isEmpty();
        // and the owner still has it all
        assertThat(send("GET", "/api/sessions/" + session + "/steps", bearer(owner), null).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherUsersSessionNamedInABodyOrQueryIsNotFound() throws Exception {
        ownerWithASessionAndARun();
        Map<String, String> intruder = bearer("intruder-" + UUID.randomUUID());
        Map<String, String> json = Map.of("Accept", "application/json");
        String orchestrate = "{\"session_id\":\"" + session + "\",\"scenario_id\":\"customer-service-retail\","
                + "\"last_user_message\":\"I want to return my boots\"}";
        String echo = "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"},\"session_id\":\"" + session + "\"}";
        String transcript = "/api/sdk/session/transcript?session_id=" + session;
        // the routes whose session comes in the body or the query, which the path-template sweep above cannot see
        Map<String, String[]> calls = new java.util.LinkedHashMap<>();
        calls.put("chat", new String[] {"POST", "/api/agents/assistant/chat",
                "{\"message\":\"hi\",\"session_id\":\"" + session + "\"}"});
        calls.put("sdk message", new String[] {"POST", "/api/sdk/session/message",
                "{\"session_id\":\"" + session + "\",\"user_input\":\"hi\"}"});
        calls.put("sdk transcript", new String[] {"GET", transcript, null});
        calls.put("orchestrate", new String[] {"POST", "/api/orchestrate", orchestrate});
        calls.put("tools/execute", new String[] {"POST", "/api/tools/execute", echo});
        calls.put("stop", new String[] {"POST", "/api/agents/assistant/stop", "{\"session_id\":\"" + session + "\"}"});
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String[]> call : calls.entrySet()) {
            String[] c = call.getValue();
            Map<String, String> headers = new java.util.HashMap<>(intruder);
            headers.putAll(json);
            HttpResponse<String> response = send(c[0], c[1], headers, c[2]);
            if (response.statusCode() != 404 || !problem(response)) {
                failures.add(call.getKey() + " → " + response.statusCode() + " " + abbreviated(response.body()));
            }
        }
        assertThat(failures).isEmpty();
        // the same calls that cost no model turn reach the session for its owner: the 404s above are ownership
        Map<String, String> owners = new java.util.HashMap<>(bearer(owner));
        owners.putAll(json);
        assertThat(send("GET", transcript, owners, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/orchestrate", owners, orchestrate).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/tools/execute", owners, echo).statusCode()).isEqualTo(200);
    }

    @Test
    void socketsNeedTheirOwnersToken() throws Exception {
        ownerWithASessionAndARun();
        String sessionSocket = "/ws/sessions/" + session;
        // no or a bad token: the socket is accepted, then closed with 4401 (a page reads why; it sees no handshake)
        assertThat(handshakeOrClose(sessionSocket, null)).isEqualTo(4401);
        assertThat(handshakeOrClose("/ws/me", null)).isEqualTo(4401);
        assertThat(handshakeOrClose("/ws/me", token(owner, -120))).isEqualTo(4401);
        assertThat(handshakeOrClose("/ws/me", "forged." + token(owner, 300))).isEqualTo(4401);
        // only the two socket routes are let through to their own check: any other path stays behind the gate
        assertThat(handshake("/ws/other", null)).isEqualTo(401);
        assertThat(handshake("/ws/me/", null)).isEqualTo(401);
        assertThat(handshake("/WS/ME", null)).isEqualTo(401);
        // another user's session: refused as if it did not exist (the socket is accepted, then closed with 4404, so
        // a page can read why)
        assertThat(handshakeOrClose(sessionSocket, token("intruder-" + UUID.randomUUID(), 300))).isIn(404, 4404);
        assertThat(handshake("/ws/me;x=1", token(owner, 300))).isEqualTo(400);
        assertThat(handshake(sessionSocket + ";", null)).isEqualTo(400);
        assertThat(handshake(sessionSocket, token(owner, 300))).isEqualTo(101);
        assertThat(handshake("/ws/me", token(owner, 300))).isEqualTo(101);
    }

    @Test
    void metricsAreOnTheManagementPortOnly() throws Exception {
        ownerWithASessionAndARun();
        // the public port has no /q/metrics: behind the gate like any other path, and nothing there for a caller
        HttpResponse<String> anonymous = send("GET", "/q/metrics", Map.of(), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> signedIn = send("GET", "/q/metrics", bearer(owner), null);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(404);
        assertThat(problem(signedIn)).isTrue();
        // health stays on the public port, where the platform's checks probe it (fly.toml)
        assertThat(send("GET", "/q/health/ready", Map.of(), null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/q/health/live", Map.of(), null).statusCode()).isEqualTo(200);
        // the management port: Prometheus text, the HTTP server's meters of the public port's traffic included
        String management = "http://localhost:" + MetricsScrape.managementPort();
        HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(management + "/q/metrics"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("agentdock_runs_total", "http_server_requests_seconds_count",
                "uri=\"/api/agents/{agent}/chat\"");
        // and nothing but management routes there: the API is not reachable on it
        HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create(management + "/api/health"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(404);
    }

    /** Spellings of {@code path} (which starts with /api) that some layer may read as the same route. */
    static List<String> variants(String path) {
        List<String> variants = new ArrayList<>();
        String[] segments = path.substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            for (String suffix : List.of(";", ";x=1")) {
                String[] changed = segments.clone();
                changed[i] = changed[i] + suffix;
                variants.add("/" + String.join("/", changed));
            }
        }
        variants.add("/" + path);
        variants.add(path.replaceFirst("^/api/", "/api//"));
        variants.add(path.replaceFirst("^/api/", "/api/%2e/"));
        variants.add(path.replaceFirst("^/api/", "/api/x/%2e%2e/"));
        variants.add(path.replaceFirst("^/api/", "/api%2F"));
        variants.add(path + "/");
        variants.add(path.replaceFirst("^/api", "/API"));
        variants.add(path.replaceFirst("^/api", "/Api"));
        return variants;
    }

    private static String body(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? "{}" : null;
    }

    private static boolean problem(HttpResponse<String> response) {
        return response.request().method().equals("HEAD")
                || response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.header("Accept", "*/*");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The HTTP status of a refused handshake, or the close code of an accepted socket closed within 10 s. */
    private int handshakeOrClose(String path, String token) {
        java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        String uri = base.replaceFirst("^http", "ws") + path + (token == null ? "" : "?access_token=" + token);
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(uri), new WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            int code = closed.get(10, TimeUnit.SECONDS);
            socket.abort();
            return code;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError("handshake with " + path + " failed", e);
        } catch (Exception e) {
            throw new AssertionError("handshake with " + path + " failed", e);
        }
    }

    /** The HTTP status of a WebSocket handshake (101 when it was accepted). */
    private int handshake(String path, String token) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        String uri = base.replaceFirst("^http", "ws") + path + (token == null ? "" : "?access_token=" + token);
        try {
            WebSocket socket = builder.buildAsync(URI.create(uri), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError("handshake with " + path + " failed", e);
        } catch (Exception e) {
            throw new AssertionError("handshake with " + path + " failed", e);
        }
    }
}
