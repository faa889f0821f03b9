package dev.agentdock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.SocketProbe;
import dev.agentdock.SseLines;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged application on two ports, sharing PostgreSQL and Redis: what one instance does
 * reaches clients of the other.
 */
class TwoInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static AppInstance a;
    private static AppInstance b;

    @BeforeAll
    static void start() throws Exception {
        a = AppInstance.start("instance-a", Map.of());
        b = AppInstance.start("instance-b", Map.of());
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void anAgentSwitchDecidedOnAReachesASocketOnB() throws Exception {
        String user = user();
        String session = jsonTurn(a, user, Map.of("message", "hello")).path("session_id").asText();
        try (SocketProbe onB = SocketProbe.open(b.uri("/"), "/ws/sessions/" + session, user)) {
            HttpResponse<String> decided = post(a, "/api/orchestrate", user, Map.of("session_id", session,
                    "scenario_id", "customer-service-retail", "current_agent", "authentication",
                    "last_user_message", "I want to start returns for my order"));
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            assertThat(JSON.readTree(decided.body()).path("switched").asBoolean()).isTrue();
            onB.awaitType("agent_switch");
            JsonNode frame = onB.ofType("agent_switch").getFirst();
            assertThat(frame.at("/data/from").asText()).isEqualTo("authentication");
            assertThat(frame.at("/data/to").asText()).isEqualTo("returns");
        }
    }

    @Test
    void runEventsOfATurnStreamingOnAReachASocketOnB() throws Exception {
        String user = user();
        String session = jsonTurn(a, user, Map.of("message", "hello")).path("session_id").asText();
        try (SocketProbe onB = SocketProbe.open(b.uri("/"), "/ws/sessions/" + session, user)) {
            List<SseLines.Event> stream = sse(a, "/api/agents/assistant/chat", user,
                    Map.of("session_id", session, "message", "over there [[tool:echo {\"text\":\"cross\"}]]"), null);
            assertThat(stream.getLast().type()).isEqualTo("run_completed");
            onB.awaitType("run_completed");
            assertThat(onB.types()).containsSubsequence("run_started", "tool_result", "run_completed");
            JsonNode toolResult = onB.ofType("tool_result").getFirst();
            assertThat(toolResult.at("/data/result").asText()).isEqualTo("cross");
        }
    }

    @Test
    void aStopSentToBStopsTheRunOnA() throws Exception {
        String user = user();
        String session = jsonTurn(a, user, Map.of("message", "hello")).path("session_id").asText();
        String runId = UUID.randomUUID().toString();
        List<SseLines.Event> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<SseLines.Event>> turn = CompletableFuture.supplyAsync(() -> sse(a,
                "/api/agents/assistant/chat", user,
                Map.of("session_id", session, "run_id", runId, "message", "long [[slow:30]] [[tokens:500]]"), seen));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(e -> e.type().equals("step_delta")).count() >= 5);

        HttpResponse<String> stop = post(b, "/api/agents/assistant/stop", user, Map.of("session_id", session));
        assertThat(stop.statusCode()).isEqualTo(202);

        List<SseLines.Event> events = turn.get(20, TimeUnit.SECONDS);
        assertThat(events.getLast().type()).isEqualTo("run_cancelled");
        JsonNode run = get(a, "/api/runs/" + runId, user);
        assertThat(run.path("status").asText()).isEqualTo("interrupted");
        assertThat(run.path("instance_id").asText()).isEqualTo("instance-a");
        JsonNode partial = get(b, "/api/sessions/" + session + "/steps/4", user);
        assertThat(partial.path("interrupted").asBoolean()).isTrue();
        assertThat(partial.path("content").asText()).isNotBlank();
    }

    @Test
    void aRunStreamingOnACanBeRejoinedFromBWithoutGapOrDuplicate() throws Exception {
        String user = user();
        String runId = UUID.randomUUID().toString();
        List<SseLines.Event> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<SseLines.Event>> turn = CompletableFuture.supplyAsync(() -> sse(a,
                "/api/agents/assistant/chat", user, Map.of("run_id", runId, "message", "stream [[slow:15]] [[tokens:80]]"), seen));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 10);

        List<SseLines.Event> rejoined = sseGet(b, "/api/runs/" + runId + "/stream", user, runId + ":6");
        List<SseLines.Event> all = turn.get(30, TimeUnit.SECONDS);
        assertThat(rejoined.stream().map(SseLines.Event::id).toList())
                .isEqualTo(all.subList(6, all.size()).stream().map(SseLines.Event::id).toList());
    }

    @Test
    void aRunThatEndedOnAResumesOnBFromPostgresAtAnyIdItsLiveStreamGaveOut() throws Exception {
        String user = user();
        List<SseLines.Event> all = sse(a, "/api/agents/assistant/chat", user,
                Map.of("message", "remember [[tokens:30]]"), null);
        assertThat(all.getLast().type()).isEqualTo("run_completed");
        String runId = all.getFirst().data().path("run_id").asText();
        String session = all.getFirst().data().path("session_id").asText();
        String key = "agentdock:run:" + runId + ":events";
        String terminal = all.getLast().data().path("event_seq").asText() + "-1";
        await().atMost(Duration.ofSeconds(10)).until(() -> !dev.agentdock.RedisPeer.xrange(key, terminal, terminal).isEmpty());
        dev.agentdock.RedisPeer.del(key);
        String stored = get(b, "/api/sessions/" + session + "/steps/2", user).path("content").asText();

        for (int i = 0; i < all.size() - 1; i += 3) {
            List<SseLines.Event> rejoined = sseGet(b, "/api/runs/" + runId + "/stream", user, all.get(i).id());
            assertThat(rejoined.getLast().id()).isEqualTo(all.getLast().id());
            assertThat(rejoined.stream().filter(e -> !e.type().equals("step_delta")).map(SseLines.Event::id).toList())
                    .isEqualTo(all.subList(i + 1, all.size()).stream().filter(e -> !e.type().equals("step_delta"))
                            .map(SseLines.Event::id).toList());
            StringBuilder text = new StringBuilder();
            java.util.stream.Stream.concat(all.subList(0, i + 1).stream(), rejoined.stream())
                    .filter(e -> e.type().equals("step_delta"))
                    .forEach(e -> text.append(e.data().at("/delta/content").asText()));
            assertThat(text.toString()).as("after %s", all.get(i).id()).isEqualTo(stored);
        }
    }

    @Test
    void aClientReconnectingToAWithItsLastEventIdGetsExactlyWhatItMissed() throws Exception {
        String user = user();
        String session = jsonTurn(a, user, Map.of("message", "hello")).path("session_id").asText();
        String last;
        try (SocketProbe first = SocketProbe.open(a.uri("/"), "/ws/sessions/" + session, user)) {
            jsonTurn(a, user, Map.of("session_id", session, "message", "one"));
            first.awaitType("run_completed");
            last = first.ids().getLast();
        }
        jsonTurn(b, user, Map.of("session_id", session, "message", "two, on the other instance"));
        try (SocketProbe again = SocketProbe.open(a.uri("/"), "/ws/sessions/" + session + "?last_event_id=" + last, user)) {
            again.awaitType("run_completed");
            assertThat(again.types()).containsExactly("run_started", "run_completed");
            assertThat(again.ids()).doesNotContain(last).doesNotHaveDuplicates();
        }
    }

    // ---- clients ------------------------------------------------------------------------------------------

    private static String user() {
        return "it-" + UUID.randomUUID();
    }

    private static HttpRequest.Builder request(AppInstance to, String path, String user) {
        return HttpRequest.newBuilder(to.uri(path)).header("X-User-Id", user).timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<String> post(AppInstance to, String path, String user, Map<String, ?> body) throws Exception {
        return HTTP.send(request(to, path, user).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode jsonTurn(AppInstance to, String user, Map<String, ?> body) throws Exception {
        HttpResponse<String> r = post(to, "/api/agents/assistant/chat", user, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode get(AppInstance to, String path, String user) throws Exception {
        HttpResponse<String> r = HTTP.send(request(to, path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<SseLines.Event> sse(AppInstance to, String path, String user, Map<String, ?> body,
                                           List<SseLines.Event> sink) {
        try {
            HttpResponse<InputStream> r = HTTP.send(request(to, path, user).header("Content-Type", "application/json")
                            .header("Accept", "text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            List<SseLines.Event> events = sink == null ? new CopyOnWriteArrayList<>() : sink;
            SseLines.read(r.body(), events::add);
            return List.copyOf(events);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SseLines.Event> sseGet(AppInstance to, String path, String user, String lastEventId) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(request(to, path, user).header("Accept", "text/event-stream")
                .header("Last-Event-ID", lastEventId).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<SseLines.Event> events = new CopyOnWriteArrayList<>();
        SseLines.read(r.body(), events::add);
        return events;
    }
}
