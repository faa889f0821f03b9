package dev.agentdock.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Per-user request limits by route group ({@code agentdock.rate-limit.*}), counted in Redis across instances. */
@ConfigMapping(prefix = "agentdock.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** Trusted backends (service key) are not limited; they limit their own users. */
    @WithDefault("true")
    boolean exemptServiceKey();

    /** How long a Redis round trip may take before the request goes through uncounted (fail open). */
    @WithDefault("250ms")
    Duration redisTimeout();

    Limit chat();

    Limit tools();

    Limit responses();

    Limit bootstrap();

    Limit writes();

    /** {@code requests} per {@code window}, a fixed window aligned on the epoch. */
    interface Limit {
        @WithDefault("60")
        int requests();

        @WithDefault("1m")
        Duration window();
    }

    default Limit of(RateLimitGroup group) {
        return switch (group) {
            case CHAT -> chat();
            case TOOLS -> tools();
            case RESPONSES -> responses();
            case BOOTSTRAP -> bootstrap();
            case WRITES -> writes();
        };
    }
}
