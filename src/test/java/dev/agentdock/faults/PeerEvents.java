package dev.agentdock.faults;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.SocketProbe;
import java.time.Instant;
import java.util.List;

/** What the Redis fault tests share: a session event published as a peer instance would, and what a socket heard. */
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
}
