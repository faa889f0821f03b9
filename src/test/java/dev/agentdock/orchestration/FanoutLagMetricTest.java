package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.SocketProbe;
import dev.agentdock.common.MetricsScrape;
import dev.agentdock.run.SseChatClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** agentdock_fanout_lag_seconds measures events delivered to this instance's sockets, and only those. */
@QuarkusTest
class FanoutLagMetricTest {

    private static final String LAG = "agentdock_fanout_lag_seconds_count";

    @TestHTTPResource("/")
    URI base;

    private final SseChatClient sse = new SseChatClient();

    @Test
    void eventsDeliveredToASocketRecordTheirLagAndEventsNobodyHearsDoNot() {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hello")).getLast().event()
                .get("session_id").asText();

        try (SocketProbe probe = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            MetricsScrape before = MetricsScrape.now();
            sse.chat("assistant", user, Map.of("session_id", session, "message", "[[tool:echo {\"text\":\"lag\"}]]"));
            await().pollInSameThread().atMost(Duration.ofSeconds(15))
                    .until(() -> probe.types().contains("run_completed"));
            int delivered = probe.frames.size();
            assertThat(delivered).isGreaterThanOrEqualTo(3); // run_started, tool_result, run_completed
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> MetricsScrape.now().since(before, LAG) >= delivered);
            assertThat(MetricsScrape.now().since(before, "agentdock_fanout_lag_seconds_sum")).isNotNegative();
        }
    }

    @Test
    void aTurnWithoutSocketsRecordsNoLag() {
        String user = "user-" + UUID.randomUUID();
        MetricsScrape before = MetricsScrape.now();
        sse.chat("assistant", user, Map.of("message", "[[tool:echo {\"text\":\"nobody listens\"}]]"));
        // the run's frames travel through Redis and come back to this instance, where no socket takes them
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> MetricsScrape.now().since(before, LAG) == 0);
    }
}
