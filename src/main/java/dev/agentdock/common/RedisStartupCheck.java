package dev.agentdock.common;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service starts without Redis (readiness says DOWN and turns still run), so a missing Redis at start is one
 * WARN line saying where it looked and how to start it, not a failed start. The PING does not hold up start-up.
 */
@ApplicationScoped
class RedisStartupCheck {

    private final Redis redis;
    private final String redisUrl;

    RedisStartupCheck(Redis redis, @ConfigProperty(name = "quarkus.redis.hosts") String redisUrl) {
        this.redis = redis;
        this.redisUrl = redisUrl;
    }

    void onStart(@Observes StartupEvent start) {
        redis.send(Request.cmd(Command.PING)).ifNoItem().after(Duration.ofSeconds(5)).fail()
                .subscribe().with(ok -> { }, failure -> Log.warn(BackingServices.redisUnreachable(
                        redisUrl.split(",")[0].strip(), reason(failure))));
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
