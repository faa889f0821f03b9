package dev.agentdock.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A generated sweep of malformed requests across every endpoint: each must be answered with a 4xx
 * {@code application/problem+json}, never a 5xx, never a stack trace.
 */
@QuarkusTest
class MalformedRequestSweepTest {

    private static final Logger LOG = Logger.getLogger(MalformedRequestSweepTest.class);

    record Call(String method, String path, String contentType, String body, Map<String, String> headers) {
        Call(String method, String path, String contentType, String body) {
            this(method, path, contentType, body, Map.of());
        }
    }

    /** Endpoints with a path template ({id}, {seq}) and the JSON body they expect (null: no body). */
    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"POST", "/api/agents/assistant/chat", "{\"message\":\"hi\"}"},
            new String[] {"POST", "/api/agents/assistant/stop", "{\"session_id\":\"%ID%\"}"},
            new String[] {"GET", "/api/agents/assistant/sessions/{id}", null},
            new String[] {"GET", "/api/sessions/{id}/steps", null},
            new String[] {"GET", "/api/sessions/{id}/steps/{seq}", null},
            new String[] {"DELETE", "/api/sessions/{id}/steps?start_seq={seq}", null},
            new String[] {"POST", "/api/sessions/{id}/retry", "{\"sequence\":1}"},
            new String[] {"POST", "/api/sessions/{id}/fork", "{\"sequence\":1}"},
            new String[] {"GET", "/api/sessions/{id}/branches", null},
            new String[] {"GET", "/api/sessions/{id}/context", null},
            new String[] {"GET", "/api/sessions/{id}/summary", null},
            new String[] {"GET", "/api/sessions/{id}/runs", null},
            new String[] {"GET", "/api/runs/{id}", null},
            new String[] {"POST", "/api/runs/{id}/cancel", null},
            new String[] {"POST", "/api/runs/{id}/approve", "{\"tool_call_id\":\"c\",\"approved\":true}"},
            new String[] {"GET", "/api/runs/{id}/stream", null},
            new String[] {"POST", "/api/sdk/session/create", "{\"agent_name\":\"a\",\"instructions\":\"i\"}"},
            new String[] {"POST", "/api/sdk/session/message", "{\"session_id\":\"%ID%\",\"user_input\":\"hi\"}"},
            new String[] {"GET", "/api/sdk/session/transcript?session_id={id}", null},
            new String[] {"POST", "/api/agent/run", "{\"input\":\"hi\"}"},
            new String[] {"POST", "/api/tools/execute", "{\"name\":\"echo\",\"arguments\":{\"text\":\"x\"}}"},
            new String[] {"POST", "/api/moderate", "{\"text\":\"hi\",\"stage\":\"input\"}"},
            new String[] {"POST", "/api/context/snapshot", "{\"project_id\":\"p\",\"page\":{\"path\":\"/p\"}}"},
            new String[] {"POST", "/api/sessions/{id}/realtime/items", "{\"items\":[{\"output\":\"o\",\"id\":\"i\","
                    + "\"type\":\"function_call_output\",\"call_id\":\"c\"}]}"},
            // a model outside the allowlist: even the well-formed variants never reach OpenAI
            new String[] {"POST", "/api/responses", "{\"model\":\"not-allowed\",\"input\":\"x\"}"});

    private static final List<String> BAD_IDS = List.of("..%2F..%2Fetc%2Fpasswd", "1'%20OR%20'1'%3D'1", "%00", "null",
            "-1", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "00000000-0000-0000-0000-00000000000g",
            "x".repeat(3000), "%252e%252e%252f", "1;DROP%20TABLE%20ai_agent_sessions", "%E2%80%AE", "0x41",
            "12345678-1234-1234-1234-1234567890123");
    /**
     * Marks a call (a NUL in text, a key given twice) that must be refused as unreadable (400) before anything looks
     * the request up: a 404 for the made-up id would hide that the text was taken. Not sent as a header.
     */
    private static final String EXPECT_400 = "x-sweep-expect-400";
    private static final java.util.regex.Pattern FIRST_PAIR =
            java.util.regex.Pattern.compile("^\\{(\"[^\"]+\":(?:\"[^\"]*\"|[^,}]+))");
    private static final List<String> BAD_SEQS = List.of("-5", "abc", "0", "99999999999999", "1.5", "%27");
    private static final List<String> BAD_BODIES = List.of("", "{", "}", "[]", "null", "123", "\"text\"", "{\"a\":",
            "{\"unknown_field\":1}", "[1,2,3]", "{\"message\":{\"nested\":true}}", "{\"message\":123}",
            "{\"sequence\":\"one\"}", "{\"approved\":\"maybe\",\"tool_call_id\":7}", "{\"stage\":\"sideways\",\"text\":\"x\"}",
            "{\"name\":[],\"arguments\":\"notobject\"}", "{\"session_id\":\"../../x\",\"message\":\"hi\"}",
            "{\"text\":\"" + "y".repeat(40_000) + "\",\"stage\":\"input\"}", "[".repeat(2000) + "]".repeat(2000),
            "{\"message\":\"hi\",\"run_id\":\"' OR 1=1 --\"}", "{\"input\":null}", "\u0000\u0001\u0002",
            "{\"message\":true}", "{\"message\":1.5}", "{\"sequence\":true}", "{\"approved\":1}");

    @Test
    void everyMalformedRequestIsA4xxProblemAndNeverA5xx() {
        List<Call> calls = generate();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (Call call : calls) {
            Answer r = send(call);
            byStatus.merge(r.statusCode(), 1, Integer::sum);
            String type = r.contentType();
            String body = r.body();
            boolean ok = r.statusCode() >= 400 && r.statusCode() < 500 && type.startsWith("application/problem+json")
                    && !body.contains("Exception") && !body.contains("\tat ")
                    && (!call.headers().containsKey(EXPECT_400) || r.statusCode() == 400);
            if (!ok && bad.size() < 20) {
                bad.add(call.method() + " " + abbreviate(call.path()) + " [" + call.contentType() + "] "
                        + abbreviate(call.body()) + " -> " + r.statusCode() + " " + type + " " + abbreviate(body));
            }
        }
        LOG.infof("malformed request sweep: %d requests, by status %s", calls.size(), byStatus);
        assertThat(bad).as("requests not answered with a 4xx problem").isEmpty();
        assertThat(calls.size()).isGreaterThanOrEqualTo(1000);
        assertThat(byStatus.keySet()).allMatch(s -> s >= 400 && s < 500);
        assertThat(byStatus.getOrDefault(401, 0)).as("requests refused at the gate, not by the route").isLessThan(calls.size() / 10);
    }

    /** Targets no URI parser takes (java.net.http refuses to send them): written on a raw socket. */
    private static final List<String> UNREADABLE_TARGETS = List.of("/api/sessions/%zz", "/api/%",
            "/api/sessions/%E0%A4%A", "/api/sessions/%E0%A4", "/api/sessions/%C0%AF/steps", "/api/agents/a%00b/chat",
            "/api/health?x=%zz", "/api/health?x=%FF", "/api/%2", "/api/runs/%g0", "/api/sessions/a%20b%zz/steps");

    @Test
    void anUnreadableRequestTargetIsA400Problem() {
        List<String> bad = new ArrayList<>();
        for (int port : new int[] {io.restassured.RestAssured.port, dev.agentdock.common.MetricsScrape.managementPort()}) {
            for (String target : port == io.restassured.RestAssured.port ? UNREADABLE_TARGETS
                    : List.of("/q/metrics/%zz", "/q/%", "/q/metrics?x=%E0%A4")) {
                for (String method : List.of("GET", "POST")) {
                    String answer = raw(port, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                            + caller() + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                            + "Connection: close\r\n\r\n{}");
                    String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
                    String body = answer.substring(head.length()).strip();
                    if (!head.startsWith("HTTP/1.1 400 ") || !head.toLowerCase(java.util.Locale.ROOT)
                            .contains("content-type: application/problem+json") || !body.contains("\"status\":400")
                            || body.contains("Exception")) {
                        bad.add(method + " " + target + " (port " + port + ") -> " + abbreviate(answer));
                    }
                }
            }
        }
        assertThat(bad).as("unreadable targets not answered with a 400 problem").isEmpty();
    }

    /**
     * The one malformed request that is not a problem document (README, Security model): a non-numeric
     * {@code Content-Length} fails Netty's decoder before any router, and Vert.x answers it with a bare 400 that
     * Quarkus 3.34 gives an application no hook to replace. Pinned here so that it stays a 400 (never a 5xx, never
     * a stack trace) and so that an upgrade which starts routing it shows up.
     */
    @Test
    void aNonNumericContentLengthIsABare400FromTheFramework() {
        for (String length : List.of("abc", "-1", "1e3", "2, 3")) {
            String answer = raw(io.restassured.RestAssured.port, "POST /api/agents/assistant/chat HTTP/1.1\r\n"
                    + "Host: localhost\r\n" + caller() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + length + "\r\nConnection: close\r\n\r\n{}");
            assertThat(answer).as(length).startsWith("HTTP/1.1 400 ").doesNotContain("Exception");
            String body = answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4) : "";
            assertThat(body).as("no router saw it, so no problem document either").isEmpty();
        }
    }

    /** The caller's header line, as the app under test takes it. */
    private static String caller() {
        Map.Entry<String, String> header = dev.agentdock.TestIdentity.asHeaders(
                Map.of(dev.agentdock.TestIdentity.USER_HEADER, "sweeper")).entrySet().iterator().next();
        return header.getKey() + ": " + header.getValue();
    }

    private static String raw(int port, String request) {
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(request, e);
        }
    }

    private static List<Call> generate() {
        List<Call> calls = new ArrayList<>();
        String goodId = "0190a7e0-0000-7000-8000-000000000001";
        for (String[] e : ENDPOINTS) {
            String method = e[0];
            String template = e[1];
            String body = e[2];
            // bad ids and sequences in the path / query
            if (template.contains("{id}")) {
                for (String id : BAD_IDS) {
                    calls.add(new Call(method, fill(template, id, "1"), "application/json", body == null ? null : body.replace("%ID%", goodId)));
                }
            }
            if (template.contains("{seq}")) {
                for (String seq : BAD_SEQS) {
                    calls.add(new Call(method, fill(template, goodId, seq), "application/json", body));
                }
            }
            String path = fill(template, goodId, "1");
            if (body != null) {
                for (String b : BAD_BODIES) {
                    calls.add(new Call(method, path, "application/json", b));
                }
                // ids injected into body fields (where the body has an id or a message to carry one)
                for (String id : (body.contains("%ID%") || body.contains("\"hi\"")) ? BAD_IDS : List.<String>of()) {
                    calls.add(new Call(method, path, "application/json", body.replace("%ID%", java.net.URLDecoder.decode(
                            id.replace("%", "%25").replace("%2525", "%25"), java.nio.charset.StandardCharsets.UTF_8))
                            .replace("\"hi\"", "\"hi\",\"session_id\":\"" + id + "\"")));
                }
                String good = body.replace("%ID%", goodId);
                // a NUL character in the first text value (PostgreSQL stores none), and a key given twice
                Map<String, String> unreadable = Map.of(EXPECT_400, "true");
                String withNul = good.replaceFirst("\":\"", "\":\"a\\\\u0000b");
                if (!withNul.equals(good)) {
                    calls.add(new Call(method, path, "application/json", withNul, unreadable));
                }
                java.util.regex.Matcher first = FIRST_PAIR.matcher(good);
                if (first.find() && !first.group(1).contains("[")) {
                    calls.add(new Call(method, path, "application/json",
                            good.substring(0, good.length() - 1) + "," + first.group(1) + "}", unreadable));
                } else {
                    // the first value is an array or object: give the whole pair twice
                    calls.add(new Call(method, path, "application/json",
                            good.substring(0, good.length() - 1) + "," + good.substring(1), unreadable));
                }
                for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x")) {
                    calls.add(new Call(method, path, type, body.replace("%ID%", goodId)));
                }
            }
            for (String wrong : List.of("PUT", "PATCH", "DELETE", "POST", "GET")) {
                if (!wrong.equals(method) && !(wrong.equals("GET") && template.contains("/stream"))) {
                    calls.add(new Call(wrong, path, "application/json", body == null ? "{}" : body.replace("%ID%", goodId)));
                }
            }
        }
        // bad query parameters of the listing and streaming endpoints
        for (String q : List.of("page=-1", "page=abc", "size=0", "size=100000", "size=-3", "size=1e9", "page=1&size=x",
                "page=" + "9".repeat(30))) {
            calls.add(new Call("GET", "/api/agents/assistant/sessions?" + q, "application/json", null));
            calls.add(new Call("GET", "/api/sessions/" + goodId + "/steps?" + q.replace("page", "start_seq")
                    .replace("size", "limit"), "application/json", null));
        }
        for (String q : List.of("after=-1", "after=abc", "after=99999999999999999999", "start_seq=-1&end_seq=-2",
                "start_seq=5&end_seq=1", "limit=0", "limit=5000", "start_seq=x")) {
            calls.add(new Call("GET", "/api/runs/" + goodId + "/stream?" + q, "application/json", null));
            calls.add(new Call("GET", "/api/sessions/" + goodId + "/steps?" + q, "application/json", null));
        }
        // every body variant against every body endpoint once more, as form posts and with a charset twist
        for (String[] e : ENDPOINTS) {
            if (e[2] != null) {
                for (String b : BAD_BODIES) {
                    calls.add(new Call(e[0], fill(e[1], goodId, "1"), "application/json; charset=utf-16", b));
                    calls.add(new Call(e[0], fill(e[1], goodId, "1"), "text/plain", b));
                }
            }
        }
        // re-join ids that are not ids
        for (String lastEventId : List.of(":", "::", goodId + ":", goodId + ":-1", goodId + ":x", ":" + "9".repeat(30),
                "x".repeat(3000), goodId + ":1:2")) {
            calls.add(new Call("GET", "/api/runs/" + goodId + "/stream", "application/json", null,
                    Map.of("Last-Event-ID", lastEventId)));
        }
        // unknown routes, traversal and odd paths
        for (String p : List.of("/api/../../etc/passwd", "/api/agents", "/api/nothing", "/api/agents/a/b/c/d",
                "/api/sessions", "/api/runs", "/api/%2e%2e/%2e%2e", "/.env", "/api/agents/assistant/chat/extra",
                "/api/sessions/x/steps/1/2", "/admin", "/api/tools/execute/now", "/api/agents/a%00b/chat",
                "/api/agents/a%00b/sessions", "/api;/session", "/api/tools;x=1", "/api/agents/assistant/chat;x=1")) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                calls.add(new Call(method, p, "application/json", method.equals("GET") ? null : "{}"));
            }
        }
        return calls;
    }

    private static String fill(String template, String id, String seq) {
        return template.replace("{id}", id).replace("{seq}", seq);
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    record Answer(int statusCode, String contentType, String body) {
    }

    /** Raw bytes with any content type: what a broken or hostile client can send. */
    private static Answer send(Call call) {
        try {
            var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                            + io.restassured.RestAssured.port + call.path()))
                    // a body to refuse as unreadable is sent as any client would, so no media type is chosen first
                    .header("Accept", call.headers().containsKey(EXPECT_400) ? "*/*" : "application/json")
                    .timeout(java.time.Duration.ofSeconds(30));
            // the caller as the app under test takes it (a bearer token against the prod jar), so the sweep reaches
            // the routes instead of stopping at the gate
            dev.agentdock.TestIdentity.asHeaders(Map.of(dev.agentdock.TestIdentity.USER_HEADER, "sweeper"))
                    .forEach(builder::header);
            call.headers().forEach((name, value) -> {
                if (!name.equals(EXPECT_400)) {
                    builder.header(name, value);
                }
            });
            if (call.body() == null) {
                builder.method(call.method(), java.net.http.HttpRequest.BodyPublishers.noBody());
            } else {
                builder.header("Content-Type", call.contentType()).method(call.method(),
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            var r = HTTP.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(call.method() + " " + call.path(), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
