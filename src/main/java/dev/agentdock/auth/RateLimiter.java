package dev.agentdock.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.ProblemMapper;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed-window request counting in Redis, shared by every instance (docs/adr/0003-rate-limits.md): one atomic
 * script per request increments {@code agentdock:rl:<group>:<user>:<window-start>} and sets its expiry on first use.
 * When Redis cannot answer in time the request is let through and a WARN is logged: availability over strictness.
 */
@ApplicationScoped
public class RateLimiter {

    static final String KEY_PREFIX = "agentdock:rl:";
    private static final String INCREMENT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n
            """;
    private static final long WARN_EVERY_MS = 10_000;

    private final ReactiveRedisDataSource redis;
    private final RateLimitConfig config;
    private final AtomicLong lastWarning = new AtomicLong();
    private final Map<RateLimitGroup, Counter> rejections = new EnumMap<>(RateLimitGroup.class);

    RateLimiter(ReactiveRedisDataSource redis, RateLimitConfig config, MeterRegistry meters) {
        this.redis = redis;
        this.config = config;
        for (RateLimitGroup group : RateLimitGroup.values()) {
            rejections.put(group, Counter.builder("agentdock.rate.limit.rejections")
                    .description("requests refused with 429 because the user was over the group's limit")
                    .tag("group", group.key()).register(meters));
        }
    }

    /**
     * Counts one request of {@code caller} in {@code group}; fails with {@link DomainException.RateLimited}
     * (carrying the seconds until the window ends) when that is one too many.
     */
    public Uni<Void> hit(RateLimitGroup group, Caller caller) {
        if (!config.enabled() || (caller.service() && config.exemptServiceKey())) {
            return Uni.createFrom().voidItem();
        }
        RateLimitConfig.Limit limit = config.of(group);
        long windowMs = limit.window().toMillis();
        long now = System.currentTimeMillis();
        long start = windowStart(now, windowMs);
        String key = key(group, caller.userId(), start);
        return redis.execute("EVAL", INCREMENT, "1", key, Long.toString(windowMs + 1_000))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(response -> response.toLong())
                .onFailure().recoverWithItem(e -> {
                    warn(group, e);
                    return 0L;
                })
                .invoke(count -> {
                    if (count > limit.requests()) {
                        rejections.get(group).increment();
                        long retryAfter = Math.max(1, (start + windowMs - now + 999) / 1000);
                        throw new DomainException.RateLimited("more than " + limit.requests() + " " + group.key()
                                + " requests in " + limit.window().toSeconds() + " s; retry in " + retryAfter + " s",
                                retryAfter);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * A Vert.x route handler counting the request of the authenticated caller in {@code group} (for routes outside
     * JAX-RS, where {@link RateLimited} cannot be read); over the limit it answers the 429 problem itself.
     */
    public Handler<RoutingContext> routeHandler(RateLimitGroup group, ObjectMapper json) {
        return ctx -> {
            Caller caller = CallerIdentityProvider.callerOf(ctx);
            if (caller == null) {
                DomainException refusal = new DomainException.Unauthorized("an access token is required", false);
                ProblemMapper.send(ctx, json, ProblemMapper.problemOf(refusal, ctx.normalizedPath()), ProblemMapper.headersOf(refusal));
                return;
            }
            Context requestContext = Vertx.currentContext();
            hit(group, caller).subscribe().with(
                    ok -> onContext(requestContext, ctx::next),
                    failure -> onContext(requestContext, () -> {
                        if (failure instanceof DomainException refusal) {
                            ProblemMapper.send(ctx, json, ProblemMapper.problemOf(refusal, ctx.normalizedPath()),
                                    ProblemMapper.headersOf(refusal));
                        } else {
                            ctx.fail(failure);
                        }
                    }));
        };
    }

    /** Redis answers on its own event loop; the request goes on on its own. */
    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    static long windowStart(long nowMs, long windowMs) {
        return nowMs - Math.floorMod(nowMs, windowMs);
    }

    static String key(RateLimitGroup group, String userId, long windowStart) {
        return KEY_PREFIX + group.key() + ":" + userId + ":" + windowStart;
    }

    private void warn(RateLimitGroup group, Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        // One line per interval, not one per request, while Redis is away.
        if (now - last >= WARN_EVERY_MS && lastWarning.compareAndSet(last, now)) {
            Log.warnf("rate limit not enforced (failing open): Redis did not answer for group %s: %s",
                    group.key(), e.toString());
        }
    }
}
