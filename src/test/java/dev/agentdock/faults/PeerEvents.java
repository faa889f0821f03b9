package dev.agentdock.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.SocketProbe;
import dev.agentdock.run.SseChatClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What the Redis fault tests share: a session event published as a peer instance would, what a socket heard, and a
 * turn and a stop that must go through the Redis the instance uses now.
 */
final class PeerEvents {

    /** What a peer instance runs to publish a session event (SessionEventBus's script). */
    private static final String PEER_PUBLISH = """
            local s = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'f', ARGV[3])
            local u = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'f', ARGV[3])
            redis.call('PUBLISH', ARGV[4], s .. ' ' .. u .. ' ' .. ARGV[3])
            return s
            """;

    private PeerEvents() {
    }

    /** Publishes a {@code peer_event} numbered {@code n} on {@code server}; answers its session stream id. */
    static String publish(RedisServer server, String session, String user, int n) throws Exception {
        String frame = "{\"type\":\"peer_event\",\"session_id\":\"" + session + "\",\"user_id\":\"" + user
                + "\",\"ts\":\"" + Instant.now() + "\",\"data\":{\"n\":" + n + "}}";
        return server.cli("EVAL", PEER_PUBLISH, "2", "agentdock:session:" + session + ":events",
                "agentdock:user:" + user + ":events", "1000", "3600", frame, "agentdock:orchestration");
    }

    /** The {@code peer_event} numbered {@code n} the socket got, if it did. */
    static List<JsonNode> heard(SocketProbe socket, int n) {
        return socket.ofType("peer_event").stream().filter(f -> f.at("/data/n").asInt() == n).toList();
    }

    /** The channel_status frames a socket got after its first {@code skip} ones that say degraded (or restored). */
    static List<JsonNode> channelStatus(SocketProbe socket, int skip, boolean degraded) {
        return socket.ofType("channel_status").stream().skip(skip)
                .filter(f -> f.at("/data/degraded").asBoolean() == degraded).toList();
    }

    static int readiness() {
        return given().get("/q/health/ready").then().extract().statusCode();
    }

    /** How many of this instance's two subscriptions (fan-out, stops) {@code server} holds. */
    static int listeners(RedisServer server) throws Exception {
        List<String> answer = server.cli("PUBSUB", "NUMSUB", "agentdock:orchestration", "agentdock:control").lines().toList();
        return Integer.parseInt(answer.get(1).trim()) + Integer.parseInt(answer.get(3).trim());
    }

    /** A turn whose completion reaches the socket through Redis (a stream id, not a local one). */
    static void turnThroughRedis(SseChatClient sse, SocketProbe socket, String user, String session,
                                         int completions) {
        sse.chat("assistant", user, Map.of("session_id", session, "message", "after " + completions));
        await().atMost(Duration.ofSeconds(10)).until(() -> socket.ofType("run_completed").size() == completions);
        assertThat(socket.ofType("run_completed").getLast().path("id").asText()).as("through Redis, not local")
                .matches("\\d+-\\d+");
    }

    /** A long run stopped by a stop published on {@code primary}, as another instance would; answers how long. */
    static long stopThroughRedis(SseChatClient sse, String user, String session, RedisServer primary)
            throws Exception {
        UUID runId = UUID.randomUUID();
        List<SseChatClient.Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<SseChatClient.Frame>> turn = CompletableFuture.supplyAsync(() -> sse.chat("assistant",
                user, Map.of("session_id", session, "run_id", runId.toString(), "message",
                        "long [[slow:30]] [[tokens:500]]"), null, null, seen::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 3);
        long stopAt = System.nanoTime();
        assertThat(primary.cli("PUBLISH", "agentdock:control", "stop " + runId + " " + session + " stopped by the user"))
                .as("this instance listens for stops on the new primary").isEqualTo("1");
        List<SseChatClient.Frame> frames = turn.get(20, TimeUnit.SECONDS);
        assertThat(frames.getLast().type()).isEqualTo("run_cancelled");
        return (System.nanoTime() - stopAt) / 1_000_000;
    }
}
