package dev.agentdock.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The rate-limit group a resource method counts against, read by {@link RateLimitFilter} from the method the
 * request was matched to (never from the path string, which can be spelled many ways).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimited {
    RateLimitGroup value();
}
