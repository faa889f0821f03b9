package dev.agentdock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.SocketProbe;
import dev.agentdock.run.SseChatClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Redis primary with a replica behind a Sentinel, all real and of this test's own: the primary is killed (the
 * Sentinel promotes the replica), then it comes back as a replica and the Sentinel is asked to fail over to it again
 * (a planned switch, as a managed Redis does for maintenance: the old primary is demoted and its clients cut). After
 * each, the instance finds the new primary by itself: readiness is DOWN until its subscriptions are back, what a peer
 * published on the new primary meanwhile reaches the socket from the replay stream, turns publish through it, and a
 * stop sent through it ends a run.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnSentinelRedis.class, restrictToAnnotatedClass = true)
class RedisFailoverTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void afterACrashFailoverAndAPlannedOneTheInstanceFollowsTheNewPrimary() throws Exception {
        String user = "user-" + UUID.randomUUID();
        SseChatClient sse = new SseChatClient();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> PeerEvents.readiness() == 200);
        try (SocketProbe socket = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            sse.chat("assistant", user, Map.of("session_id", session, "message", "before"));
            await().atMost(Duration.ofSeconds(10)).until(() -> socket.ofType("run_completed").size() == 1);
            RedisServer before = OwnSentinelRedis.primary();
            assertThat(before).isSameAs(OwnSentinelRedis.first);

            // 1. the primary dies: the Sentinel calls it down after a second and promotes the replica
            long killedAt = System.nanoTime();
            before.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> PeerEvents.readiness() == 503);
            await().atMost(Duration.ofSeconds(30)).until(() -> OwnSentinelRedis.primary() == OwnSentinelRedis.second);
            long promotedMs = (System.nanoTime() - killedAt) / 1_000_000;
            String published = PeerEvents.publish(OwnSentinelRedis.second, session, user, 1);
            assertThat(published).matches("\\d+-\\d+");
            await().atMost(Duration.ofSeconds(30)).until(() -> PeerEvents.readiness() == 200);
            long readyMs = (System.nanoTime() - killedAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(10)).until(() -> !PeerEvents.heard(socket, 1).isEmpty());
            assertThat(PeerEvents.heard(socket, 1).getFirst().path("id").asText()).isEqualTo(published);
            turnThroughRedis(sse, socket, user, session, 2);
            // the replica had the stream: what was published before the crash is still there to replay
            assertThat(Long.parseLong(OwnSentinelRedis.second.cli("XLEN", "agentdock:session:" + session + ":events")))
                    .isGreaterThanOrEqualTo(socket.ofType("run_completed").size() + 1L);
            long stopMs = stopThroughRedis(sse, user, session, OwnSentinelRedis.second);

            // 2. the old primary comes back as a replica; a planned failover makes it the primary again
            OwnSentinelRedis.first.restartAsReplicaOf(OwnSentinelRedis.second);
            long switchedAt = System.nanoTime();
            assertThat(OwnSentinelRedis.sentinel.cli("SENTINEL", "FAILOVER", OwnSentinelRedis.MASTER)).isEqualTo("OK");
            await().atMost(Duration.ofSeconds(30)).until(() -> OwnSentinelRedis.primary() == OwnSentinelRedis.first);
            await().atMost(Duration.ofSeconds(30)).until(() -> OwnSentinelRedis.first.cli("ROLE").startsWith("master"));
            // the old primary takes writes until the Sentinel demotes it (its next look, up to 10 s later): the
            // instance must be listening on the new one well before that, not find it only when cut off
            await().atMost(Duration.ofSeconds(5)).until(() -> listeners(OwnSentinelRedis.first) == 2);
            String again = PeerEvents.publish(OwnSentinelRedis.first, session, user, 3);
            assertThat(again).matches("\\d+-\\d+");
            await().atMost(Duration.ofSeconds(30)).until(() -> !PeerEvents.heard(socket, 3).isEmpty());
            assertThat(PeerEvents.heard(socket, 3).getFirst().path("id").asText()).isEqualTo(again);
            await().atMost(Duration.ofSeconds(30)).until(() -> PeerEvents.readiness() == 200);
            long switchedMs = (System.nanoTime() - switchedAt) / 1_000_000;
            turnThroughRedis(sse, socket, user, session, 3);
            long secondStopMs = stopThroughRedis(sse, user, session, OwnSentinelRedis.first);
            System.out.printf("[fault] redis failover: primary killed, replica promoted after %d ms, instance ready "
                    + "again %d ms after the kill, a stop through the new primary took %d ms; planned failover back: "
                    + "events flowing and ready %d ms after SENTINEL FAILOVER, a stop took %d ms%n",
                    promotedMs, readyMs, stopMs, switchedMs, secondStopMs);
        }
    }

    /** How many of this instance's two subscriptions (fan-out, stops) {@code server} holds. */
    private static int listeners(RedisServer server) throws Exception {
        List<String> answer = server.cli("PUBSUB", "NUMSUB", "agentdock:orchestration", "agentdock:control").lines().toList();
        return Integer.parseInt(answer.get(1).trim()) + Integer.parseInt(answer.get(3).trim());
    }

    /** A turn whose completion reaches the socket through Redis (a stream id, not a local one). */
    private static void turnThroughRedis(SseChatClient sse, SocketProbe socket, String user, String session,
                                         int completions) {
        sse.chat("assistant", user, Map.of("session_id", session, "message", "after " + completions));
        await().atMost(Duration.ofSeconds(10)).until(() -> socket.ofType("run_completed").size() == completions);
        assertThat(socket.ofType("run_completed").getLast().path("id").asText()).as("through Redis, not local")
                .matches("\\d+-\\d+");
    }

    /** A long run stopped by a stop published on {@code primary}, as another instance would; answers how long. */
    private static long stopThroughRedis(SseChatClient sse, String user, String session, RedisServer primary)
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
