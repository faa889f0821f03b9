package dev.agentdock.faults;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the application under test at a redis-server of its own, which the test may kill and start again. */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {

    static volatile RedisServer server;

    /** The redis-server the application under test uses (for tests of other packages). */
    public static RedisServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = RedisServer.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.redis.hosts", server.url(), "quarkus.redis.timeout", "2s",
                "agentdock.orchestration.probe-interval", "200ms",
                // the first resubscription waits long enough for the test to publish before it, as a peer would
                "agentdock.redis.resubscribe-backoff", "1500ms", "agentdock.redis.resubscribe-max-backoff", "2s");
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (Exception ignored) {
            // already gone
        }
    }
}
