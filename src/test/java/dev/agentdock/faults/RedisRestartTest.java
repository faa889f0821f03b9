package dev.agentdock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;

/**
 * A real redis-server of this test's own, killed and started again: the instance's subscriptions (socket fan-out,
 * stop signals) come back by themselves, readiness is DOWN until they have, and what a peer published before this
 * instance was listening again reaches the socket from the replay stream.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnRedis.class, restrictToAnnotatedClass = true)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RedisRestartTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    @org.junit.jupiter.api.Order(2)
    void afterARedisRestartFanOutAndStopsComeBackAndWhatAPeerPublishedMeanwhileIsReplayed() throws Exception {
        String user = "user-" + UUID.randomUUID();
        SseChatClient sse = new SseChatClient();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> PeerEvents.readiness() == 200);
        try (SocketProbe socket = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            sse.chat("assistant", user, Map.of("session_id", session, "message", "before"));
            await().atMost(Duration.ofSeconds(10)).until(() -> completions(socket).size() == 1);

            int statusesBefore = socket.ofType("channel_status").size();
            long killedAt = System.nanoTime();
            OwnRedis.server.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> PeerEvents.readiness() == 503);
            long downMs = (System.nanoTime() - killedAt) / 1_000_000;
            OwnRedis.server.startAgain();
            long startedAt = System.nanoTime();
            // a peer publishes at once, before this instance has subscribed again (its first retry waits 1.5 s)
            String published = PeerEvents.publish(OwnRedis.server, session, user, 1);
            assertThat(published).matches("\\d+-\\d+");
            // sockets are told the truth: degraded, and not "restored" while the subscriptions are still gone
            await().atMost(Duration.ofSeconds(10)).until(() -> !PeerEvents.channelStatus(socket, statusesBefore, true).isEmpty());
            assertThat(PeerEvents.channelStatus(socket, statusesBefore, false)).as("told restored before the subscriptions were back").isEmpty();
            assertThat(PeerEvents.readiness()).as("not ready before the subscriptions are back").isEqualTo(503);

            await().atMost(Duration.ofSeconds(20)).until(() -> PeerEvents.readiness() == 200);
            long readyMs = (System.nanoTime() - startedAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(10)).until(() -> !PeerEvents.channelStatus(socket, statusesBefore, false).isEmpty());
            assertThat(PeerEvents.channelStatus(socket, statusesBefore, false).getFirst().at("/data/detail").asText())
                    .isEqualTo("cross-instance delivery restored");
            await().atMost(Duration.ofSeconds(10)).until(() -> socket.types().contains("peer_event"));
            assertThat(socket.ofType("peer_event").getFirst().path("id").asText()).isEqualTo(published);

            sse.chat("assistant", user, Map.of("session_id", session, "message", "after"));
            await().atMost(Duration.ofSeconds(10)).until(() -> completions(socket).size() == 2);
            assertThat(completions(socket).getLast().path("id").asText()).as("through Redis, not local")
                    .matches("\\d+-\\d+");

            // a stop sent through another instance reaches this one only through its control subscription
            long stoppedMs = PeerEvents.stopThroughRedis(sse, user, session, OwnRedis.server);
            System.out.printf("[fault] redis kill -9 and restart: readiness DOWN after %d ms, ready again %d ms after "
                    + "the restart, a stop from a peer ended the run in %d ms%n", downMs, readyMs, stoppedMs);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1) // first: no earlier outage has set a time to catch up from
    void aRestartShorterThanTheProbeIntervalIsNoticedAndWhatAPeerPublishedMeanwhileIsReplayed() throws Exception {
        String user = "user-" + UUID.randomUUID();
        SseChatClient sse = new SseChatClient();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> PeerEvents.readiness() == 200);
        try (SocketProbe socket = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            // down for a few ms only: no probe runs meanwhile, only the lost subscription tells
            OwnRedis.server.kill();
            OwnRedis.server.startAgain();
            String published = PeerEvents.publish(OwnRedis.server, session, user, 2);
            assertThat(published).matches("\\d+-\\d+");
            await().atMost(Duration.ofSeconds(20)).until(() -> socket.types().contains("peer_event"));
            assertThat(socket.ofType("peer_event").getFirst().path("id").asText()).isEqualTo(published);
            await().atMost(Duration.ofSeconds(20)).until(() -> PeerEvents.readiness() == 200);
            try (SocketProbe fresh = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
                assertThat(fresh.isOpen()).isTrue(); // answered its ping
            }
        }
    }

    private static List<JsonNode> completions(SocketProbe socket) {
        return socket.ofType("run_completed");
    }
}
