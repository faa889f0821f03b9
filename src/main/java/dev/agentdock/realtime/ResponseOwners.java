package dev.agentdock.realtime;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Who created each response relayed by {@code /api/responses}, kept in Redis (shared by every instance) for as long
 * as a {@code previous_response_id} may name it. On the organisation key every tenant shares, OpenAI would continue
 * anyone's stored response: the proxy passes a {@code previous_response_id} only for the caller's own.
 */
@ApplicationScoped
public class ResponseOwners {

    private static final String KEY = "agentdock:response-owner:";
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final ResponsesConfig config;

    ResponseOwners(ReactiveRedisDataSource redis, ResponsesConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Whether {@code userId} created {@code responseId} through the proxy; fails when Redis cannot tell. */
    Uni<Boolean> owns(String responseId, String userId) {
        return redis.execute("GET", KEY + responseId).ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(owner -> owner != null && owner.toString().equals(userId));
    }

    /** Records a created response; a failure only costs its continuation (logged). */
    void record(String responseId, String userId) {
        redis.execute("SET", KEY + responseId, userId, "EX", Long.toString(config.previousResponseTtl().toSeconds()))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .subscribe().with(ok -> { }, e -> Log.warnf(
                        "responses proxy: could not record the owner of %s (it cannot be continued): %s",
                        responseId, e.toString()));
    }
}
