package dev.agentdock.common;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The Redis channels this instance listens to (orchestration fan-out, stop signals), each coming back by itself
 * after a Redis restart; readiness is DOWN until every one of them is really subscribed again.
 */
@ApplicationScoped
public class RedisSubscriptions {

    /** Settings of the subscriptions ({@code agentdock.redis.*}). */
    @ConfigMapping(prefix = "agentdock.redis")
    public interface Config {
        /** First wait before resubscribing after a lost connection; doubled up to {@link #resubscribeMaxBackoff()}. */
        @WithDefault("250ms")
        Duration resubscribeBackoff();

        @WithDefault("5s")
        Duration resubscribeMaxBackoff();
    }

    private final Redis redis;
    private final Vertx vertx;
    private final Config config;
    private final List<RedisSubscription> open = new CopyOnWriteArrayList<>();

    RedisSubscriptions(Redis redis, Vertx vertx, Config config) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
    }

    /** Subscribes to {@code channel} until shutdown; {@code onSubscribed} runs on each (re)subscription. */
    public RedisSubscription open(String channel, Consumer<String> onMessage, Runnable onSubscribed) {
        return open(channel, onMessage, onSubscribed, () -> { });
    }

    /** As {@link #open(String, Consumer, Runnable)}; {@code onLost} runs each time the subscription is lost. */
    public RedisSubscription open(String channel, Consumer<String> onMessage, Runnable onSubscribed, Runnable onLost) {
        RedisSubscription s = new RedisSubscription(channel, redis, vertx, onMessage, onSubscribed, onLost,
                config.resubscribeBackoff().toMillis(), config.resubscribeMaxBackoff().toMillis());
        open.add(s);
        s.open();
        return s;
    }

    void closeAll(@Observes ShutdownEvent stop) {
        open.forEach(RedisSubscription::close);
    }

    /** Readiness: DOWN while any subscription is not (yet) back. */
    HealthCheckResponse health() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("Redis subscriptions");
        boolean all = true;
        for (RedisSubscription s : open) {
            r.withData(s.channel(), s.up() ? "subscribed" : "resubscribing");
            all &= s.up();
        }
        return r.status(all).build();
    }
}

/** Readiness names the Redis subscriptions: DOWN until each one is really in place again. */
@Readiness
@ApplicationScoped
class RedisSubscriptionsHealth implements HealthCheck {

    private final RedisSubscriptions subscriptions;

    RedisSubscriptionsHealth(RedisSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public HealthCheckResponse call() {
        return subscriptions.health();
    }
}
