package dev.agentdock.common;

import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.function.Consumer;

/**
 * One Redis pub/sub channel this instance listens to, on a connection of its own, that comes back by itself: when
 * the connection ends or fails (a Redis restart, a failover) it is reconnected with backoff and subscribed again,
 * and {@code onSubscribed} runs each time the subscription is (again) in place, so its owner can catch up on what
 * was published meanwhile. {@link #up()} is true only while the subscription is really in place.
 */
public final class RedisSubscription {

    private final String channel;
    private final Redis redis;
    private final Vertx vertx;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final Runnable onLost;
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    private RedisConnection connection;
    private volatile boolean up;
    private volatile boolean closed;
    private long backoffMs;
    private boolean warned;

    RedisSubscription(String channel, Redis redis, Vertx vertx, Consumer<String> onMessage, Runnable onSubscribed,
                      Runnable onLost, long firstBackoffMs, long maxBackoffMs) {
        this.channel = channel;
        this.redis = redis;
        this.vertx = vertx;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.onLost = onLost;
        this.firstBackoffMs = firstBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.backoffMs = firstBackoffMs;
    }

    public String channel() {
        return channel;
    }

    public boolean up() {
        return up;
    }

    void open() {
        connect();
    }

    void close() {
        closed = true;
        up = false;
        RedisConnection c;
        synchronized (this) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.close().subscribe().with(ok -> { }, e -> { });
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        redis.connect().subscribe().with(c -> {
            synchronized (this) {
                connection = c;
            }
            c.handler(this::onResponse);
            c.exceptionHandler(e -> lost(c, e.getMessage()));
            c.endHandler(() -> lost(c, "connection closed"));
            c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).subscribe().with(ok -> subscribed(c),
                    e -> lost(c, e.getMessage()));
        }, e -> retryLater(e.getMessage()));
    }

    private void subscribed(RedisConnection c) {
        synchronized (this) {
            if (c != connection || closed) {
                return;
            }
            backoffMs = firstBackoffMs;
        }
        up = true;
        if (warned) {
            Log.infof("Redis channel %s subscribed again", channel);
            warned = false;
        }
        try {
            onSubscribed.run();
        } catch (RuntimeException e) {
            Log.warnf(e, "Redis channel %s: catching up after subscribing failed", channel);
        }
    }

    private void onResponse(Response response) {
        // pub/sub pushes are ["message", channel, payload]; the subscribe confirmation is ["subscribe", channel, n]
        if (response == null || response.size() < 3) {
            return;
        }
        if ("message".equals(response.get(0).toString()) && channel.equals(response.get(1).toString())) {
            try {
                onMessage.accept(response.get(2).toString());
            } catch (RuntimeException e) {
                Log.warnf(e, "Redis channel %s: a message could not be handled", channel);
            }
        }
    }

    private void lost(RedisConnection c, String reason) {
        synchronized (this) {
            if (c != connection) {
                return; // an older connection's late news
            }
            connection = null;
        }
        up = false;
        c.close().subscribe().with(ok -> { }, e -> { });
        try {
            onLost.run();
        } catch (RuntimeException e) {
            Log.warnf(e, "Redis channel %s: handling the loss failed", channel);
        }
        retryLater(reason);
    }

    private void retryLater(String reason) {
        if (closed) {
            return;
        }
        up = false;
        long delay;
        synchronized (this) {
            delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        }
        if (!warned) {
            // once per outage; the retries themselves are quiet
            Log.warnf("Redis channel %s lost (%s); resubscribing with backoff up to %d ms", channel, reason, maxBackoffMs);
            warned = true;
        } else {
            Log.debugf("Redis channel %s: still unavailable (%s), next try in %d ms", channel, reason, delay);
        }
        vertx.setTimer(delay, id -> connect());
    }
}
