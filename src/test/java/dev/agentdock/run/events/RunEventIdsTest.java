package dev.agentdock.run.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.RedisPeer;
import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One id space: an id the live stream gave out resumes exactly after it from wherever the events come then (the
 * local channel while the run lives, PostgreSQL once it ended and Redis forgot it), and a re-join past the end is
 * told so once instead of looping.
 */
@QuarkusTest
class RunEventIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SseChatClient sse = new SseChatClient();

    /** One SSE frame as it came over the wire: every field line, and the data decoded. */
    record RawFrame(Map<String, String> fields, JsonNode data) {
        String id() {
            return fields.get("id");
        }

        String type() {
            return data.path("type").asText();
        }

        long seq(String runId) {
            return Long.parseLong(id().substring(runId.length() + 1));
        }
    }

    record Rejoin(int status, List<RawFrame> frames) {
    }

    static Rejoin rejoin(String user, String runId, String lastEventId) {
        var request = given().header("X-User-Id", user).accept("text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        Response response = request.get("/api/runs/" + runId + "/stream");
        List<RawFrame> frames = new ArrayList<>();
        for (String block : response.asString().split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                if (field.equals("data")) {
                    data.append(data.isEmpty() ? "" : "\n").append(value);
                } else {
                    assertThat(fields).as("field %s twice in one frame", field).doesNotContainKey(field);
                    fields.put(field, value);
                }
            }
            try {
                frames.add(new RawFrame(fields, JSON.readTree(data.toString())));
            } catch (Exception e) {
                throw new AssertionError("frame data is not JSON: " + block, e);
            }
        }
        return new Rejoin(response.statusCode(), frames);
    }

    /** Text per step sequence, concatenated from the deltas of the frames (of one stream, or live + re-join). */
    private static Map<Integer, String> text(List<JsonNode> events) {
        Map<Integer, String> text = new TreeMap<>();
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("step_delta") && e.at("/delta/content").isTextual()) {
                text.merge(e.path("sequence").asInt(), e.at("/delta/content").asText(), String::concat);
            }
        }
        return text;
    }

    private static void awaitRelayEndThenForgetIt(String runId, long terminalSeq) {
        String key = RunEventRelay.key(UUID.fromString(runId));
        // the relay's last batch may still be on the wire when the client has its terminal event (stream ids: seq-1)
        await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> !RedisPeer.xrange(key, terminalSeq + "-1", terminalSeq + "-1").isEmpty());
        RedisPeer.del(key);
    }

    /**
     * From every id of the live stream, the re-join continues it: the ids after it with nothing missing or twice,
     * the same events (every text delta with its live id and text; a tool call's argument deltas are carried by its
     * step_completed), the text of every step, one terminal.
     */
    private void everyLiveIdResumesExactly(String user, String runId, List<Frame> live, Map<Integer, String> stored) {
        List<Long> liveSeqs = live.stream().map(f -> Long.parseLong(f.id().substring(runId.length() + 1))).toList();
        assertThat(liveSeqs).as("live ids count up without a gap").isEqualTo(
                java.util.stream.LongStream.rangeClosed(liveSeqs.getFirst(), liveSeqs.getLast()).boxed().toList());
        for (int i = -1; i < live.size() - 1; i++) {
            String after = i < 0 ? null : live.get(i).id();
            Rejoin r = rejoin(user, runId, after);
            assertThat(r.status()).as("re-join after %s", after).isEqualTo(200);
            List<RawFrame> got = r.frames();
            assertThat(got).as("after %s", after).isNotEmpty();
            long from = i < 0 ? 0 : liveSeqs.get(i);
            long previous = from;
            for (RawFrame f : got) {
                assertThat(f.fields().get("event")).as("event name of %s", f.id()).isEqualTo(f.type());
                assertThat(f.fields()).as("no stray fields in %s", f.id()).containsOnlyKeys(
                        isTerminal(f.type()) ? List.of("event", "id", "retry") : List.of("event", "id"));
                assertThat(f.seq(runId)).as("in order after %s", after).isGreaterThan(previous);
                previous = f.seq(runId);
            }
            // one terminal event, at the end (a pause the run resumed from is not an end)
            assertThat(got.subList(0, got.size() - 1)).as("after %s", after).extracting(RawFrame::type)
                    .allMatch(type -> !isTerminal(type) || type.equals("run_paused"));
            assertThat(got.getLast().id()).isEqualTo(live.getLast().id());
            assertThat(got.getLast().type()).isEqualTo(live.getLast().type());
            // every non-delta event the live stream had after the id, with the same id and type
            List<String> liveRest = live.subList(i + 1, live.size()).stream()
                    .filter(f -> !isToolCallDelta(f.event())).map(f -> f.id() + " " + f.type()).toList();
            List<String> gotRest = got.stream().filter(f -> !isToolCallDelta(f.data()))
                    .map(f -> f.id() + " " + f.type()).toList();
            assertThat(gotRest).as("after %s", after).isEqualTo(liveRest);
            // and each text delta carries the text its live one carried
            List<String> liveDeltas = live.subList(i + 1, live.size()).stream().filter(f -> isTextDelta(f.event()))
                    .map(f -> f.id() + " " + f.event().at("/delta/content").asText()).toList();
            List<String> gotDeltas = got.stream().filter(f -> isTextDelta(f.data()))
                    .map(f -> f.id() + " " + f.data().at("/delta/content").asText()).toList();
            assertThat(gotDeltas).as("deltas after %s", after).isEqualTo(liveDeltas);
            // what the client had plus what it got is each step's text
            List<JsonNode> seen = new ArrayList<>(live.subList(0, i + 1).stream().map(Frame::event).toList());
            got.forEach(f -> seen.add(f.data()));
            assertThat(text(seen)).as("text after %s", after).isEqualTo(stored);
        }
    }

    private static boolean isTextDelta(JsonNode event) {
        return event.path("type").asText().equals("step_delta") && event.at("/delta/content").isTextual();
    }

    private static boolean isToolCallDelta(JsonNode event) {
        return event.path("type").asText().equals("step_delta") && !event.at("/delta/content").isTextual();
    }

    private static boolean isTerminal(String type) {
        return List.of("run_completed", "run_cancelled", "run_failed", "run_paused", "run_queued",
                "guardrail_tripped").contains(type);
    }

    private static Map<Integer, String> withoutSteps(Map<Integer, String> text, java.util.Set<Integer> sequences) {
        Map<Integer, String> rest = new TreeMap<>(text);
        rest.keySet().removeAll(sequences);
        return rest;
    }

    private static Map<Integer, String> storedText(String user, String sessionId) {
        Map<Integer, String> text = new TreeMap<>();
        for (JsonNode s : Stored.steps(user, sessionId)) {
            if (s.path("role").asText().equals("assistant") && s.hasNonNull("content")) {
                text.put(s.path("sequence").asInt(), s.path("content").asText());
            }
        }
        return text;
    }

    @Test
    void everyIdOfAFinishedRunWithToolCallsResumesFromPostgresOnceRedisForgotIt() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("assistant", user, Map.of("message",
                "look it up [[tokens:12]] [[tool:echo {\"text\":\"kept\"}]]"));
        String runId = live.getFirst().event().get("run_id").asText();
        String session = live.getFirst().event().get("session_id").asText();
        assertThat(live.getLast().type()).isEqualTo("run_completed");
        assertThat(live).extracting(Frame::type).contains("tool_call_completed");
        awaitRelayEndThenForgetIt(runId, live.getLast().event().get("event_seq").asLong());

        Map<Integer, String> stored = storedText(user, session);
        assertThat(stored).isNotEmpty();
        assertThat(text(live.stream().map(Frame::event).toList())).isEqualTo(stored);
        everyLiveIdResumesExactly(user, runId, live, stored);

        // a replayed tool result is the live one, field for field
        JsonNode liveDone = live.stream().filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow()
                .event();
        JsonNode replayedDone = rejoin(user, runId, null).frames().stream()
                .filter(f -> f.type().equals("tool_call_completed")).findFirst().orElseThrow().data();
        // (but for ts: the replay has the time the step was stored, a few ms before the live event's)
        JsonNode replayedFields = replayedDone.deepCopy();
        JsonNode liveFields = liveDone.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) replayedFields).remove("ts");
        ((com.fasterxml.jackson.databind.node.ObjectNode) liveFields).remove("ts");
        assertThat(replayedFields.toString()).isEqualTo(liveFields.toString());
    }

    @Test
    void everyIdOfARunningRunResumesExactly() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> first = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("message", "stream [[slow:20]] [[tokens:60]]", "run_id", runId), null, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 5);
        // re-joins while it streams, from ids it has given out so far
        List<Rejoin> whileLive = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int i = seen.size() - 1;
            at.add(i);
            whileLive.add(rejoin(user, runId, seen.get(i).id()));
        }
        List<Frame> live = first.get(60, TimeUnit.SECONDS);
        assertThat(live.getLast().type()).isEqualTo("run_completed");
        for (int k = 0; k < whileLive.size(); k++) {
            int i = at.get(k);
            assertThat(whileLive.get(k).frames()).extracting(RawFrame::id)
                    .isEqualTo(live.subList(i + 1, live.size()).stream().map(Frame::id).toList());
        }
        // and from every id once it ended, out of PostgreSQL
        awaitRelayEndThenForgetIt(runId, live.getLast().event().get("event_seq").asLong());
        String session = live.getFirst().event().get("session_id").asText();
        everyLiveIdResumesExactly(user, runId, live, storedText(user, session));
    }

    /**
     * Once failed in CI (ids 39-41 after 14): the resumed run had ended before the follower attached, so PostgreSQL
     * served it and packed a step's text into one delta numbered as the step's last. Replayed deltas now keep their
     * live ids and text, and the paused run's late exit no longer drops the resumed run from {@link ActiveRuns}.
     */
    @Test
    void everyIdOfARunPausedForApprovalThenResumedResumesExactly() {
        String user = "user-" + UUID.randomUUID();
        String verified = UUID.randomUUID().toString();
        dev.agentdock.TestCustomers.verifyAsMaya(user, verified); // returns are for the session's verified customer
        // the verification turn's steps are the session's, not this run's
        java.util.Set<Integer> before = storedText(user, verified).keySet();
        List<Frame> live = new ArrayList<>(sse.chat("returns", user, Map.of("session_id", verified, "message",
                "return the tent please [[tool:process_return "
                        + "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]")));
        assertThat(live.getLast().type()).isEqualTo("run_paused");
        String runId = live.getFirst().event().get("run_id").asText();
        String session = live.getFirst().event().get("session_id").asText();
        String callId = live.getLast().event().at("/pending_tool_calls/0/tool_call_id").asText();
        // still paused: nothing after the pause yet, and an EventSource coming back is told to stop
        assertThat(rejoin(user, runId, live.getLast().id()).status()).isEqualTo(204);

        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("tool_call_id", callId, "approved", true))
                .post("/api/runs/" + runId + "/approve").then().statusCode(200);
        // the client follows the resumed run from the pause's id, as its EventSource would
        List<Frame> resumed = sse.rejoin(runId, user, live.getLast().id());
        assertThat(resumed.getFirst().type()).isEqualTo("run_started");
        assertThat(resumed.getLast().type()).isEqualTo("run_completed");
        // the approved call ran in the approve request; the resumed run tells its followers what it returned
        assertThat(resumed.subList(1, 4)).extracting(Frame::type)
                .containsExactly("tool_call_started", "tool_call_completed", "step_completed");
        JsonNode approvedResult = resumed.get(2).event();
        assertThat(approvedResult.path("tool_call_id").asText()).isEqualTo(callId);
        assertThat(approvedResult.path("ok").asBoolean()).isTrue();
        assertThat(approvedResult.path("result").asText()).contains("RMA-");
        live.addAll(resumed);
        awaitRelayEndThenForgetIt(runId, live.getLast().event().get("event_seq").asLong());
        everyLiveIdResumesExactly(user, runId, live, withoutSteps(storedText(user, session), before));
    }

    /**
     * Deterministically the case the test above met once: the resumed run is followed from the pause's id only after
     * it ended and left this instance, so PostgreSQL serves it; its ids and texts are those the live stream gave
     * (read back from the relay before it is forgotten).
     */
    @Test
    void aResumedRunFollowedFromThePauseAfterItEndedGetsEveryIdAfterThePause() throws Exception {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("returns", user, Map.of("message",
                "return the tent please [[tool:process_return "
                        + "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]"));
        assertThat(live.getLast().type()).isEqualTo("run_paused");
        String runId = live.getFirst().event().get("run_id").asText();
        String session = live.getFirst().event().get("session_id").asText();
        String callId = live.getLast().event().at("/pending_tool_calls/0/tool_call_id").asText();
        long pause = live.getLast().event().get("event_seq").asLong();

        given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("tool_call_id", callId, "approved", true))
                .post("/api/runs/" + runId + "/approve").then().statusCode(200);
        // nobody follows it while it runs: wait until it ended
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(
                given().header("X-User-Id", user).get("/api/runs/" + runId).then().extract().path("status")));
        String key = RunEventRelay.key(UUID.fromString(runId));
        List<JsonNode> relayed = new ArrayList<>();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
            relayed.clear();
            for (List<String> entry : RedisPeer.xrange(key, (pause + 1) + "-0", "+")) {
                relayed.add(JSON.readTree(entry.get(entry.indexOf("e") + 1)));
            }
            return !relayed.isEmpty() && relayed.getLast().path("type").asText().equals("run_completed");
        });
        RedisPeer.del(key);
        List<String> liveIds = relayed.stream().filter(e -> !isToolCallDelta(e))
                .map(e -> runId + ":" + e.get("event_seq").asLong() + " " + e.path("type").asText()
                        + (isTextDelta(e) ? " " + e.at("/delta/content").asText() : "")).toList();
        assertThat(relayed).extracting(e -> e.path("type").asText()).contains("step_delta");

        // once the run has left its instance (just after its end was stored and sent), PostgreSQL serves it
        Rejoin[] rejoined = new Rejoin[1];
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> {
            rejoined[0] = rejoin(user, runId, runId + ":" + pause);
            return rejoined[0].status() == 200 && !rejoined[0].frames().isEmpty()
                    && rejoined[0].frames().getLast().data().path("replay").asBoolean();
        });
        Rejoin r = rejoined[0];
        List<String> gotIds = r.frames().stream().filter(f -> !isToolCallDelta(f.data()))
                .map(f -> f.id() + " " + f.type() + (isTextDelta(f.data()) ? " " + f.data().at("/delta/content").asText() : ""))
                .toList();
        assertThat(gotIds).isEqualTo(liveIds);
        assertThat(r.frames().getLast().type()).isEqualTo("run_completed");
        // and the text of every step, the paused part from the live stream and the resumed part from the replay
        List<JsonNode> seen = new ArrayList<>(live.stream().map(Frame::event).toList());
        r.frames().forEach(f -> seen.add(f.data()));
        assertThat(text(seen)).isEqualTo(storedText(user, session));
    }

    @Test
    void anEventSourceComingBackAfterTheEndIsToldToStopOnce() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> live = sse.chat("assistant", user, Map.of("message", "short [[tokens:3]]"));
        String runId = live.getFirst().event().get("run_id").asText();
        String terminal = live.getLast().id();

        // an EventSource: connect, read to the end, reconnect after `retry` with the last id, stop on 204
        String lastId = live.get(1).id();
        int connects = 0;
        List<RawFrame> received = new ArrayList<>();
        while (connects < 5) {
            connects++;
            Rejoin r = rejoin(user, runId, lastId);
            if (r.status() == 204) {
                break;
            }
            assertThat(r.status()).isEqualTo(200);
            received.addAll(r.frames());
            assertThat(r.frames().getLast().fields()).containsEntry("retry",
                    String.valueOf(RunEventSse.RETRY_AFTER_END_MILLIS));
            lastId = r.frames().getLast().id();
        }
        assertThat(connects).as("one stream, then a 204").isEqualTo(2);
        assertThat(received.stream().filter(f -> isTerminal(f.type()))).hasSize(1);
        assertThat(received.getLast().id()).isEqualTo(terminal);

        // no made-up events past the end, whatever id is sent
        long seq = live.getLast().event().get("event_seq").asLong();
        assertThat(rejoin(user, runId, runId + ":" + (seq + 40)).status()).isEqualTo(204);
        assertThat(rejoin(user, runId, runId + ":" + seq).status()).isEqualTo(204);
        // a stream id of another run is refused
        given().header("X-User-Id", user).header("Last-Event-ID", UUID.randomUUID() + ":3")
                .get("/api/runs/" + runId + "/stream").then().statusCode(422)
                .contentType("application/problem+json");
    }
}
