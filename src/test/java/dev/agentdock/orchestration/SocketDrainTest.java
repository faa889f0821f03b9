package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.SocketProbe;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.stop.RunDrain;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * At the end of a drain (a deploy's SIGTERM, once the runs have ended) every socket of the instance is closed with
 * 1012 "service restart", both routes, so its client reconnects at once (to another instance) instead of being cut
 * when the process exits. The drain itself exits the process, so here its last step is fired alone.
 */
@QuarkusTest
class SocketDrainTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Event<RunDrain.Drained> drained;

    @Test
    void theEndOfADrainClosesEverySocketWith1012() {
        String user = "drain-" + UUID.randomUUID();
        String session = new SseChatClient().chat("assistant", user, Map.of("message", "hello")).getLast().event()
                .get("session_id").asText();
        try (SocketProbe onSession = SocketProbe.open(base, "/ws/sessions/" + session, user);
             SocketProbe onMe = SocketProbe.open(base, "/ws/me", user)) {
            assertThat(onSession.closedWith).isNull();
            drained.fire(new RunDrain.Drained());
            assertThat(onSession.awaitClose(Duration.ofSeconds(5))).startsWith("1012");
            assertThat(onMe.awaitClose(Duration.ofSeconds(5))).startsWith("1012");
        }
    }
}
