package dev.agentdock.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.SocketProbe;
import dev.agentdock.common.CapturedLogs;
import dev.agentdock.run.SseChatClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: one 4 s turn logged 119 WARN lines while Redis was down. With this test's own redis-server killed, a
 * turn of a few seconds, followed by a socket on its session, still completes, and what it logs at WARN says each
 * thing once (an outage is logged when it starts, then at most every 30 s), not once per event or per flush. The
 * Redis client's own lines as its connections drop come once per pooled connection.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnRedis.class, restrictToAnnotatedClass = true)
class RedisOutageLogTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aTurnWhileRedisIsDownLogsEachWarningOnce() throws Exception {
        SseChatClient sse = new SseChatClient();
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        CapturedLogs logs = CapturedLogs.install();
        OwnRedis.server().kill();
        try (SocketProbe socket = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            List<SseChatClient.Frame> frames = sse.chat("assistant", user, Map.of("session_id", session,
                    "message", "a few seconds [[slow:20]] [[tokens:200]]"));
            assertThat(frames.getLast().type()).isEqualTo("run_completed");
            socket.awaitType("run_completed"); // delivered locally though the channel is down
            long deltas = frames.stream().filter(f -> f.type().equals("step_delta")).count();

            Map<String, Long> repeated = logs.warnings().stream().filter(line -> !perConnection(line))
                    .map(RedisOutageLogTest::shape)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            repeated.values().removeIf(n -> n == 1);
            Map<String, Long> teardown = logs.warnings().stream().filter(RedisOutageLogTest::perConnection)
                    .map(RedisOutageLogTest::shape)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            System.out.printf("[fault] redis down, one turn of %d deltas: %d WARN lines%n", deltas, logs.warnings().size());
            assertThat(repeated).as("WARN lines said more than once during one turn (of %d deltas):%n%s", deltas,
                    String.join("\n", logs.warnings())).isEmpty();
            int pool = ConfigProvider.getConfig().getValue("quarkus.redis.max-pool-size", Integer.class);
            assertThat(teardown.values()).as("the Redis client's lines as its pooled connections drop: at most one"
                    + " per connection (%d), never one per event (%d deltas)", pool, deltas)
                    .allMatch(n -> n <= pool);
            assertThat(logs.warnings()).as("the outage was logged").isNotEmpty();
        } finally {
            logs.uninstall();
            OwnRedis.server().startAgain();
        }
    }

    /**
     * What the Redis client itself logs as each connection of its pool is reset (its connection manager's
     * "Unhandled Error", and with assertions on, as under test, an assertion of its connection's end handler): one
     * per pooled connection open at the kill, a number that depends on timing.
     */
    private static boolean perConnection(String line) {
        return line.startsWith("io.vertx.redis.client.impl.RedisConnectionManager ")
                || line.startsWith("io.quarkus.vertx.core.runtime.VertxCoreRecorder ")
                && line.contains("at io.vertx.redis.client.impl.");
    }

    /** A warning without what differs between two of its kind: ids, numbers, and any stack trace. */
    private static String shape(String line) {
        String first = line.lines().findFirst().orElse("");
        return first.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("\\d+", "<n>");
    }
}
