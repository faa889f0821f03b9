package dev.agentdock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.SocketProbe;
import dev.agentdock.SseLines;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite: two packaged instances on a PostgreSQL cluster and a redis-server of its own (free ports, nothing
 * shared is touched), broken one thing at a time in the middle of turns. For each fault it checks what a client
 * sees (exactly one terminal event), what is stored (a terminal status, contiguous steps, the text seen kept),
 * what sockets on the instances still up are told, and that fan-out and cross-instance stops work afterwards. Each
 * fault prints its timings ({@code [fault] ...}); the waits are generous bounds, not timing assertions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Set<String> TERMINAL = Set.of("run_completed", "run_failed", "run_cancelled", "guardrail_tripped");
    private static final Duration FLY_KILL_TIMEOUT = Duration.ofSeconds(30);

    private static PostgresCluster pg;
    private static RedisServer redis;
    private static Instance a;
    private static Instance b;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresCluster.create();
        redis = RedisServer.start();
        Map<String, String> env = Map.ofEntries(Map.entry("DB_URL", pg.jdbcUrl()), Map.entry("DB_USER", "postgres"),
                Map.entry("DB_PASSWORD", ""), Map.entry("REDIS_URL", redis.url()),
                Map.entry("QUARKUS_REDIS_TIMEOUT", "2s"),
                Map.entry("AGENTDOCK_RUN_HEARTBEAT_INTERVAL", "1s"), Map.entry("AGENTDOCK_RUN_STALE_AFTER", "5s"),
                Map.entry("AGENTDOCK_RUN_SWEEP_INTERVAL", "2s"), Map.entry("AGENTDOCK_RUN_DRAIN_TIMEOUT", "8s"),
                Map.entry("AGENTDOCK_RUN_DRAIN_STOP_WAIT", "5s"),
                Map.entry("AGENTDOCK_ORCHESTRATION_PROBE_INTERVAL", "500ms"),
                Map.entry("AGENTDOCK_RATE_LIMIT_ENABLED", "false"));
        a = Instance.start("fault-a", env);
        b = Instance.start("fault-b", env);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis, pg}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    @Order(1)
    void killMinus9MidTurnIsSweptByTheOtherInstanceAndTheRejoinEndsOnce() throws Exception {
        String user = user();
        String session = session(a, user);
        try (SocketProbe onB = socket(b, "/ws/sessions/" + session, user);
             SocketProbe meOnB = socket(b, "/ws/me", user)) {
            String runId = UUID.randomUUID().toString();
            List<SseLines.Event> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<List<SseLines.Event>> turn = CompletableFuture.supplyAsync(() -> sse(a,
                    "/api/agents/assistant/chat", user, Map.of("session_id", session, "run_id", runId,
                            "message", "long [[slow:30]] [[tokens:600]]"), seen, null));
            awaitDeltas(seen, 10);
            long killedAt = System.nanoTime();
            a.kill();
            List<SseLines.Event> cut = turn.get(10, TimeUnit.SECONDS);
            assertThat(terminals(cut)).as("the instance died: nothing ended the stream").isEmpty();

            List<SseLines.Event> rejoined = sseGet(b, "/api/runs/" + runId + "/stream", user, cut.getLast().id());
            long endedMs = msSince(killedAt);
            assertThat(terminals(rejoined)).hasSize(1);
            assertThat(rejoined.getLast().type()).isEqualTo("run_cancelled");
            assertThat(run(b, runId, user).path("status").asText()).isEqualTo("interrupted");
            onB.awaitType("run_cancelled");
            assertThat(onB.ofType("run_cancelled").getFirst().at("/data/run_id").asText()).isEqualTo(runId);
            meOnB.awaitType("run_cancelled"); // the user's socket too: a UI following /ws/me is not left "running"
            assertThat(meOnB.ofType("run_cancelled").getFirst().at("/data/run_id").asText()).isEqualTo(runId);
            String sawText = text(cut);
            JsonNode stored = assertContiguousAndLast(b, session, user);
            assertThat(sawText).startsWith(stored.path("content").asText()); // the unflushed last interval is lost
            System.out.printf("[fault] kill -9 mid-turn: rejoin on the other instance ended (swept) after %d ms; "
                    + "text seen %d chars, stored %d%n", endedMs, sawText.length(), stored.path("content").asText().length());
            assertThat(jsonTurn(b, user, Map.of("session_id", session, "message", "still mine?")).statusCode()).isEqualTo(200);
        }
        a.startAgain();
        assertFanOutAndStopWork();
    }

    @Test
    @Order(2)
    void sigtermMidTurnDrainsFinishesWhatFitsStopsTheRestAndExitsWithinTheKillTimeout() throws Exception {
        String user = user();
        String shortSession = session(a, user);
        String longSession = session(a, user);
        String jsonSession = session(a, user);
        try (SocketProbe onB = socket(b, "/ws/sessions/" + longSession, user);
             SocketProbe onA = socket(a, "/ws/me", user)) {
            List<SseLines.Event> shortSeen = new CopyOnWriteArrayList<>();
            List<SseLines.Event> longSeen = new CopyOnWriteArrayList<>();
            String longRun = UUID.randomUUID().toString();
            CompletableFuture<List<SseLines.Event>> shortTurn = CompletableFuture.supplyAsync(() -> sse(a,
                    "/api/agents/assistant/chat", user, Map.of("session_id", shortSession,
                            "message", "short [[slow:20]] [[tokens:150]]"), shortSeen, null));
            CompletableFuture<List<SseLines.Event>> longTurn = CompletableFuture.supplyAsync(() -> sse(a,
                    "/api/agents/assistant/chat?on_disconnect=continue", user, Map.of("session_id", longSession,
                            "run_id", longRun, "message", "long [[slow:30]] [[tokens:1500]]"), longSeen, null));
            CompletableFuture<HttpResponse<String>> jsonTurn = CompletableFuture.supplyAsync(() -> {
                try {
                    return jsonTurn(a, user, Map.of("session_id", jsonSession, "message", "json [[slow:20]] [[tokens:200]]"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitDeltas(shortSeen, 3);
            awaitDeltas(longSeen, 3);
            HttpResponse<String> queued = post(a, "/api/agents/assistant/chat?multitask=enqueue", user,
                    Map.of("session_id", longSession, "message", "queued behind the long one"));
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            String queuedRun = JSON.readTree(queued.body()).path("run_id").asText();

            long termAt = System.nanoTime();
            a.term();
            await().atMost(Duration.ofSeconds(3)).until(() -> a.readiness() == 503);
            long notReadyMs = msSince(termAt);
            HttpResponse<String> refused = post(a, "/api/agents/assistant/chat", user, Map.of("message", "too late"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();

            List<SseLines.Event> shortEvents = shortTurn.get(30, TimeUnit.SECONDS);
            assertThat(terminals(shortEvents)).hasSize(1);
            assertThat(shortEvents.getLast().type()).as("finished within the drain").isEqualTo("run_completed");
            HttpResponse<String> jsonAnswer = jsonTurn.get(30, TimeUnit.SECONDS);
            assertThat(jsonAnswer.statusCode()).as(jsonAnswer.body()).isEqualTo(200);
            assertThat(JSON.readTree(jsonAnswer.body()).path("status").asText()).isEqualTo("completed");
            List<SseLines.Event> longEvents = longTurn.get(30, TimeUnit.SECONDS);
            assertThat(terminals(longEvents)).hasSize(1);
            assertThat(longEvents.getLast().type()).as("stopped at the drain deadline").isEqualTo("run_cancelled");
            long longEndedMs = msSince(termAt);
            assertThat(a.awaitExit(FLY_KILL_TIMEOUT)).as("exited within kill_timeout\n" + a.log()).isTrue();
            long exitedMs = msSince(termAt);
            // its sockets were let go with "service restart" once the runs had ended, not cut by the exit
            assertThat(onA.closedWith).as("the close of a socket on the drained instance").startsWith("1012");

            JsonNode longStored = run(b, longRun, user);
            assertThat(longStored.path("status").asText()).isEqualTo("interrupted");
            JsonNode last = assertContiguousAndLast(b, longSession, user, longRun);
            assertThat(last.path("content").asText()).as("text flushed").isEqualTo(text(longEvents));
            onB.awaitType("run_cancelled");
            // the queued run stayed valid: the other instance starts it
            await().atMost(Duration.ofSeconds(30)).until(() -> run(b, queuedRun, user).path("status").asText().equals("completed"));
            assertThat(run(b, queuedRun, user).path("instance_id").asText()).isEqualTo("fault-b");
            long queuedMs = msSince(termAt);
            System.out.printf("[fault] SIGTERM mid-turn: readiness DOWN after %d ms, the long run ended interrupted "
                    + "after %d ms, exit after %d ms (kill_timeout %d s), queued run completed on the other instance "
                    + "after %d ms%n", notReadyMs, longEndedMs, exitedMs, FLY_KILL_TIMEOUT.toSeconds(), queuedMs);
        }
        a.startAgain();
        assertFanOutAndStopWork();
    }

    @Test
    @Order(3)
    void redisRestartWhileIdleLeavesFanOutAndStopsWorking() throws Exception {
        long killedAt = System.nanoTime();
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.readiness() == 503 && b.readiness() == 503);
        long downMs = msSince(killedAt);
        redis.startAgain();
        long startedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.readiness() == 200 && b.readiness() == 200);
        long readyMs = msSince(startedAt);
        System.out.printf("[fault] redis restart while idle: both instances not ready after %d ms, ready again %d ms "
                + "after the restart%n", downMs, readyMs);
        assertFanOutAndStopWork();
    }

    @Test
    @Order(4)
    void redisRestartMidTurnEndsTheTurnOnceAndFanOutComesBack() throws Exception {
        String user = user();
        String session = session(a, user);
        try (SocketProbe onA = socket(a, "/ws/sessions/" + session, user);
             SocketProbe onB = socket(b, "/ws/sessions/" + session, user)) {
            List<SseLines.Event> seen = new CopyOnWriteArrayList<>();
            String runId = UUID.randomUUID().toString();
            CompletableFuture<List<SseLines.Event>> turn = CompletableFuture.supplyAsync(() -> sse(a,
                    "/api/agents/assistant/chat", user, Map.of("session_id", session, "run_id", runId,
                            "message", "through a restart [[slow:20]] [[tokens:300]]"), seen, null));
            awaitDeltas(seen, 5);
            long killedAt = System.nanoTime();
            redis.kill();
            Thread.sleep(1_000);
            redis.startAgain();
            List<SseLines.Event> events = turn.get(60, TimeUnit.SECONDS);
            long endedMs = msSince(killedAt);
            assertThat(terminals(events)).hasSize(1);
            assertThat(events.getLast().type()).isEqualTo("run_completed");
            assertThat(run(b, runId, user).path("status").asText()).isEqualTo("completed");
            JsonNode last = assertContiguousAndLast(b, session, user, runId);
            assertThat(last.path("content").asText()).isEqualTo(text(events));
            onA.awaitType("run_completed"); // its own instance's socket hears it, through Redis or locally
            onB.awaitType("run_completed"); // the other instance's socket: through Redis, or its replay once back
            await().atMost(Duration.ofSeconds(30)).until(() -> a.readiness() == 200 && b.readiness() == 200);
            System.out.printf("[fault] redis kill -9 + restart mid-turn: the turn completed %d ms after the kill%n", endedMs);
            assertFanOutAndStopWork();
        }
    }

    @Test
    @Order(5)
    void postgresStopMidTurnFailsTheTurnOnceAndStoresItsEndWhenBack() throws Exception {
        String user = user();
        String session = session(a, user);
        try (SocketProbe onA = socket(a, "/ws/sessions/" + session, user);
             SocketProbe onB = socket(b, "/ws/sessions/" + session, user)) {
            List<SseLines.Event> seen = new CopyOnWriteArrayList<>();
            String runId = UUID.randomUUID().toString();
            CompletableFuture<List<SseLines.Event>> turn = CompletableFuture.supplyAsync(() -> sse(a,
                    "/api/agents/assistant/chat", user, Map.of("session_id", session, "run_id", runId,
                            "message", "long [[slow:30]] [[tokens:600]]"), seen, null));
            awaitDeltas(seen, 5);
            long stoppedAt = System.nanoTime();
            pg.stop();
            List<SseLines.Event> events = turn.get(30, TimeUnit.SECONDS);
            long failedMs = msSince(stoppedAt);
            assertThat(terminals(events)).hasSize(1);
            assertThat(events.getLast().type()).isEqualTo("run_failed");
            assertThat(events.getLast().data().path("error").asText()).isEqualTo("storage unavailable");
            onA.awaitType("run_failed");
            onB.awaitType("run_failed");
            HttpResponse<String> meanwhile = jsonTurn(b, user, Map.of("session_id", session, "message", "now?"));
            assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(503);
            assertThat(meanwhile.headers().firstValue("Retry-After")).isPresent();
            Thread.sleep(1_000);
            pg.start();
            long startedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> run(b, runId, user).path("status").asText().equals("error"));
            long storedMs = msSince(startedAt);
            JsonNode last = assertContiguousAndLast(b, session, user, runId);
            assertThat(last.path("content").asText()).isEqualTo(text(events));
            await().atMost(Duration.ofSeconds(30)).until(() -> a.readiness() == 200 && b.readiness() == 200);
            assertThat(jsonTurn(a, user, Map.of("session_id", session, "message", "again")).statusCode()).isEqualTo(200);
            System.out.printf("[fault] postgres stop mid-turn: run_failed after %d ms, end stored %d ms after the "
                    + "database was back%n", failedMs, storedMs);
        }
        assertFanOutAndStopWork();
    }

    // ---- after every fault ------------------------------------------------------------------------------

    /** A turn on A reaches a socket on B (and one on A), and a stop sent to B ends a run on A. */
    @Test
    @Order(6)
    void twentyTurnsAtOnceOnOneSessionSpreadOverBothInstancesPerMultitaskPolicy() throws Exception {
        int turns = 20;
        for (String policy : List.of("enqueue", "rollback", "interrupt", "reject")) {
            String user = user();
            String session = session(a, user);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            long startedAt = System.nanoTime();
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < turns; i++) {
                    Instance to = i % 2 == 0 ? a : b;
                    int n = i;
                    sent.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                            return post(to, "/api/agents/assistant/chat?multitask=" + policy, user,
                                    Map.of("session_id", session, "message", "turn " + n + " [[slow:5]] [[tokens:20]]"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, threads));
                }
                go.countDown();
                Map<Integer, Long> statuses = new java.util.TreeMap<>();
                for (CompletableFuture<HttpResponse<String>> f : sent) {
                    HttpResponse<String> r = f.get(90, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).as(policy + ": " + r.body()).isIn(200, 202, 409);
                    statuses.merge(r.statusCode(), 1L, Long::sum);
                }
                if (policy.equals("enqueue")) {
                    assertThat(statuses).as("enqueue never refuses").doesNotContainKey(409);
                } else {
                    assertThat(statuses).doesNotContainKey(202);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> runs(b, session, user).stream()
                        .noneMatch(r -> Set.of("running", "pending", "paused").contains(r.path("status").asText())));
                List<JsonNode> runs = runs(a, session, user);
                assertThat(runs).allSatisfy(r -> assertThat(r.path("error").asText("")).doesNotContain("internal"));
                if (policy.equals("enqueue")) {
                    assertThat(runs).hasSize(turns + 1)
                            .allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("completed"));
                }
                assertContiguousAndLast(b, session, user);
                assertThat(jsonTurn(b, user, Map.of("session_id", session, "message", "after")).statusCode()).isEqualTo(200);
                System.out.printf("[fault] %d turns at once on one session over both instances, multitask=%s: %s, "
                        + "all ended after %d ms%n", turns, policy, statuses, msSince(startedAt));
            }
        }
    }

    @Test
    @Order(7)
    void aRunPausedForApprovalOutlivesADeployAndResumesOnTheOtherInstance() throws Exception {
        String user = user();
        String session = UUID.randomUUID().toString();
        HttpResponse<String> verified = post(a, "/api/agents/authentication/chat", user, Map.of("session_id", session,
                "message", "verify me " + dev.agentdock.TestCustomers.authenticateMarker(
                        dev.agentdock.TestCustomers.MAYA_PHONE, dev.agentdock.TestCustomers.MAYA_BIRTH)));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        List<SseLines.Event> turn = sse(a, "/api/agents/returns/chat", user, Map.of("session_id", session,
                "message", "return the tent please [[tool:process_return "
                        + "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}]]"), null, null);
        assertThat(terminals(turn)).isEmpty();
        SseLines.Event pause = turn.getLast();
        assertThat(pause.type()).as("%s", turn).isEqualTo("run_paused");
        assertThat(pause.data().at("/pending_tool_calls/0/name").asText()).isEqualTo("process_return");
        String runId = pause.data().path("run_id").asText();
        String callId = pause.data().at("/pending_tool_calls/0/tool_call_id").asText();

        long termAt = System.nanoTime();
        a.term();
        assertThat(a.awaitExit(FLY_KILL_TIMEOUT)).as("exited within kill_timeout\n" + a.log()).isTrue();
        long exitedMs = msSince(termAt);
        assertThat(run(b, runId, user).path("status").asText()).as("a paused run stays paused").isEqualTo("paused");

        HttpResponse<String> approved = post(b, "/api/runs/" + runId + "/approve", user,
                Map.of("tool_call_id", callId, "approved", true));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> run(b, runId, user).path("status").asText().equals("completed"));
        JsonNode resumed = run(b, runId, user);
        assertThat(resumed.path("instance_id").asText()).isEqualTo("fault-b");
        JsonNode last = assertContiguousAndLast(b, session, user, runId);
        assertThat(last.path("content").asText()).contains("process_return=");
        System.out.printf("[fault] SIGTERM with a run paused for approval: exit after %d ms, the run stayed paused "
                + "and completed on the other instance after its approval, %d ms after the SIGTERM%n", exitedMs,
                msSince(termAt));
        a.startAgain();
        assertFanOutAndStopWork();
    }

    private static List<JsonNode> runs(Instance on, String session, String user) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        get(on, "/api/sessions/" + session + "/runs", user).forEach(runs::add);
        return runs;
    }

    private static void assertFanOutAndStopWork() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> a.readiness() == 200 && b.readiness() == 200);
        String user = user();
        String session = session(a, user);
        try (SocketProbe onA = socket(a, "/ws/sessions/" + session, user);
             SocketProbe onB = socket(b, "/ws/sessions/" + session, user)) {
            assertThat(jsonTurn(a, user, Map.of("session_id", session, "message", "fan out")).statusCode()).isEqualTo(200);
            onB.awaitType("run_completed");
            onA.awaitType("run_completed");
            assertThat(onB.ofType("run_completed").getFirst().path("id").asText()).matches("\\d+-\\d+");

            // the first stop A serves since it (re)started (issue 15 saw 2.3-5.1 s for it): a run on B, stopped via A
            String onBRun = UUID.randomUUID().toString();
            List<SseLines.Event> onBSeen = new CopyOnWriteArrayList<>();
            CompletableFuture<List<SseLines.Event>> onBTurn = CompletableFuture.supplyAsync(() -> sse(b,
                    "/api/agents/assistant/chat", user, Map.of("session_id", session, "run_id", onBRun,
                            "message", "stop me too [[slow:30]] [[tokens:500]]"), onBSeen, null));
            awaitDeltas(onBSeen, 3);
            long firstStopAt = System.nanoTime();
            HttpResponse<String> firstStop = post(a, "/api/agents/assistant/stop", user,
                    Map.of("session_id", session, "run_id", onBRun));
            assertThat(firstStop.statusCode()).as(firstStop.body()).isEqualTo(202);
            List<SseLines.Event> onBEvents = onBTurn.get(20, TimeUnit.SECONDS);
            assertThat(onBEvents.getLast().type()).isEqualTo("run_cancelled");
            long firstStopMs = msSince(firstStopAt);

            String runId = UUID.randomUUID().toString();
            List<SseLines.Event> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<List<SseLines.Event>> turn = CompletableFuture.supplyAsync(() -> sse(a,
                    "/api/agents/assistant/chat", user, Map.of("session_id", session, "run_id", runId,
                            "message", "stop me [[slow:30]] [[tokens:500]]"), seen, null));
            awaitDeltas(seen, 3);
            long stopAt = System.nanoTime();
            HttpResponse<String> stop = post(b, "/api/agents/assistant/stop", user, Map.of("session_id", session, "run_id", runId));
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
            List<SseLines.Event> events = turn.get(20, TimeUnit.SECONDS);
            assertThat(events.getLast().type()).isEqualTo("run_cancelled");
            System.out.printf("[fault]   after recovery: fan-out A->B ok, a stop sent to B ended the run on A in %d ms; "
                    + "A's first stop since its start ended a run on B in %d ms%n", msSince(stopAt), firstStopMs);
        }
    }

    // ---- assertions on stored state -----------------------------------------------------------------------

    private static JsonNode assertContiguousAndLast(Instance on, String session, String user) throws Exception {
        return assertContiguousAndLast(on, session, user, null);
    }

    /** Steps 1..n with no gap; answers the last assistant step (of {@code runId} when given). */
    private static JsonNode assertContiguousAndLast(Instance on, String session, String user, String runId) throws Exception {
        JsonNode page = get(on, "/api/sessions/" + session + "/steps?limit=1000", user);
        List<Integer> sequences = new ArrayList<>();
        JsonNode last = null;
        for (JsonNode step : page.path("steps")) {
            sequences.add(step.path("sequence").asInt());
            if (step.path("role").asText().equals("assistant") && (runId == null || runId.equals(step.path("run_id").asText()))) {
                last = step;
            }
        }
        assertThat(sequences).containsExactlyElementsOf(IntStream.rangeClosed(1, sequences.size()).boxed().toList());
        assertThat(last).as("an assistant step of the run").isNotNull();
        return last;
    }

    // ---- clients -------------------------------------------------------------------------------------------

    private static String user() {
        return "fault-" + UUID.randomUUID();
    }

    private static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** A socket on {@code on}; one that never answers its ping prints the instance's threads before failing. */
    private static SocketProbe socket(Instance on, String path, String user) {
        try {
            return SocketProbe.open(on.uri("/"), path, user);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).startsWith("no pong")) {
                System.out.println("[fault] no pong from " + on.uri("/") + "; its threads:\n" + on.threadDump());
            }
            throw e;
        }
    }

    private static String session(Instance on, String user) throws Exception {
        HttpResponse<String> r = jsonTurn(on, user, Map.of("message", "hello"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("session_id").asText();
    }

    private static void awaitDeltas(List<SseLines.Event> seen, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().filter(e -> e.type().equals("step_delta")).count() >= count);
    }

    private static List<SseLines.Event> terminals(List<SseLines.Event> events) {
        return events.stream().filter(e -> TERMINAL.contains(e.type())).toList();
    }

    private static String text(List<SseLines.Event> events) {
        return events.stream().filter(e -> e.type().equals("step_delta"))
                .map(e -> e.data().at("/delta/content").asText("")).collect(Collectors.joining());
    }

    private static HttpRequest.Builder request(Instance to, String path, String user) {
        return HttpRequest.newBuilder(to.uri(path)).header("X-User-Id", user).timeout(Duration.ofSeconds(90));
    }

    private static HttpResponse<String> post(Instance to, String path, String user, Map<String, ?> body) throws Exception {
        return HTTP.send(request(to, path, user).header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> jsonTurn(Instance to, String user, Map<String, ?> body) throws Exception {
        return post(to, "/api/agents/assistant/chat", user, body);
    }

    private static JsonNode get(Instance to, String path, String user) throws Exception {
        HttpResponse<String> r = HTTP.send(request(to, path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode run(Instance on, String runId, String user) throws Exception {
        return get(on, "/api/runs/" + runId, user);
    }

    /** Streams a turn; a connection that breaks (its instance died) ends the list where it broke. */
    private static List<SseLines.Event> sse(Instance to, String path, String user, Map<String, ?> body,
                                           List<SseLines.Event> sink, String lastEventId) {
        List<SseLines.Event> events = sink == null ? new CopyOnWriteArrayList<>() : sink;
        try {
            HttpRequest.Builder r = request(to, path, user).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<InputStream> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            SseLines.read(response.body(), events::add);
        } catch (IOException cut) {
            // the instance went away mid-stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(events);
    }

    private static List<SseLines.Event> sseGet(Instance to, String path, String user, String lastEventId) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(request(to, path, user).header("Accept", "text/event-stream")
                .header("Last-Event-ID", lastEventId).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        List<SseLines.Event> events = new CopyOnWriteArrayList<>();
        SseLines.read(r.body(), events::add);
        return events;
    }
}
