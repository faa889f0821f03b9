package dev.agentdock.faults;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A Redis primary and its replica of the test's own, behind one address the test can move from one to the other. */
public class OwnRedisBehindOneAddress implements QuarkusTestResourceLifecycleManager {

    static volatile RedisServer first;
    static volatile RedisServer second;
    static volatile TcpRedirect address;

    @Override
    public Map<String, String> start() {
        try {
            first = RedisServer.start();
            second = RedisServer.replicaOf(first);
            address = new TcpRedirect(first.port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.redis.hosts", address.url(), "quarkus.redis.timeout", "2s",
                "agentdock.orchestration.probe-interval", "200ms",
                "agentdock.redis.resubscribe-backoff", "250ms", "agentdock.redis.resubscribe-max-backoff", "1s");
    }

    @Override
    public void stop() {
        try {
            address.close();
        } catch (Exception ignored) {
            // closed already
        }
        for (RedisServer server : new RedisServer[] {second, first}) {
            try {
                server.close();
            } catch (Exception ignored) {
                // already gone
            }
        }
    }
}
