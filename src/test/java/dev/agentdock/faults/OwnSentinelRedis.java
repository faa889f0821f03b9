package dev.agentdock.faults;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the application under test at a Redis primary and replica of its own behind a Sentinel, as a highly
 * available Redis is run: the test kills the primary, or asks the Sentinel to fail over, and the service must follow.
 */
public class OwnSentinelRedis implements QuarkusTestResourceLifecycleManager {

    static final String MASTER = "agentdock";

    static volatile RedisServer first;
    static volatile RedisServer second;
    static volatile RedisServer sentinel;

    @Override
    public Map<String, String> start() {
        try {
            first = RedisServer.start();
            second = RedisServer.replicaOf(first);
            sentinel = RedisServer.sentinelOf(MASTER, first);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.ofEntries(Map.entry("quarkus.redis.client-type", "sentinel"),
                Map.entry("quarkus.redis.hosts", sentinel.url()),
                Map.entry("quarkus.redis.master-name", MASTER),
                Map.entry("quarkus.redis.role", "master"),
                Map.entry("quarkus.redis.timeout", "2s"),
                Map.entry("agentdock.orchestration.probe-interval", "200ms"),
                Map.entry("agentdock.redis.resubscribe-backoff", "250ms"),
                Map.entry("agentdock.redis.resubscribe-max-backoff", "1s"));
    }

    /** The node the Sentinel names primary now. */
    static RedisServer primary() throws Exception {
        String answer = sentinel.cli("SENTINEL", "get-master-addr-by-name", MASTER);
        int port = Integer.parseInt(answer.lines().reduce((a, b) -> b).orElseThrow().trim());
        return port == first.port ? first : second;
    }

    @Override
    public void stop() {
        for (RedisServer server : new RedisServer[] {sentinel, second, first}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception ignored) {
                // already gone
            }
        }
    }
}
