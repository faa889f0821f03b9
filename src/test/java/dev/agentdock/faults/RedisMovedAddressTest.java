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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A failover behind one address, no Sentinel: the replica is promoted, the address moves to it, and the old primary
 * stays up, demoted to a replica of the new one, with the instance's connections still open to it (reads and pub/sub
 * go on there; writes answer READONLY). The instance notices, cuts its connections there and makes them again
 * through the address: its subscriptions, its turns' events and stops are on the new primary.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnRedisBehindOneAddress.class, restrictToAnnotatedClass = true)
class RedisMovedAddressTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aPrimaryDemotedInPlaceIsLeftForTheOneTheAddressNowLeadsTo() throws Exception {
        String user = "user-" + UUID.randomUUID();
        SseChatClient sse = new SseChatClient();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> PeerEvents.readiness() == 200);
        RedisServer old = OwnRedisBehindOneAddress.first;
        RedisServer promoted = OwnRedisBehindOneAddress.second;
        try (SocketProbe socket = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            sse.chat("assistant", user, Map.of("session_id", session, "message", "before"));
            await().atMost(Duration.ofSeconds(10)).until(() -> socket.ofType("run_completed").size() == 1);
            assertThat(PeerEvents.listeners(old)).isEqualTo(2);

            long failedOverAt = System.nanoTime();
            assertThat(promoted.cli("REPLICAOF", "NO", "ONE")).isEqualTo("OK");
            OwnRedisBehindOneAddress.address.pointAt(promoted.port);
            assertThat(old.cli("REPLICAOF", "127.0.0.1", String.valueOf(promoted.port))).isEqualTo("OK");

            await().atMost(Duration.ofSeconds(10)).until(() -> PeerEvents.listeners(promoted) == 2);
            long movedMs = (System.nanoTime() - failedOverAt) / 1_000_000;
            assertThat(PeerEvents.listeners(old)).as("nothing of this instance left on the demoted node").isZero();
            String published = PeerEvents.publish(promoted, session, user, 1);
            assertThat(published).matches("\\d+-\\d+");
            await().atMost(Duration.ofSeconds(10)).until(() -> !PeerEvents.heard(socket, 1).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> PeerEvents.readiness() == 200);
            long readyMs = (System.nanoTime() - failedOverAt) / 1_000_000;

            PeerEvents.turnThroughRedis(sse, socket, user, session, 2);
            String completed = socket.ofType("run_completed").getLast().path("id").asText();
            assertThat(promoted.cli("XRANGE", "agentdock:session:" + session + ":events", completed, completed))
                    .as("the turn's events were written to the new primary").contains("run_completed");
            long stopMs = PeerEvents.stopThroughRedis(sse, user, session, promoted);
            System.out.printf("[fault] redis failover behind one address (old primary demoted in place): the "
                    + "instance's subscriptions were on the new primary %d ms after the switch, ready %d ms after it, "
                    + "a stop through it took %d ms%n", movedMs, readyMs, stopMs);
        }
    }
}
