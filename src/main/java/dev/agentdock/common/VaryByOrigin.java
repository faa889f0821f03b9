package dev.agentdock.common;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code Vary: Origin} on every answer: CORS makes the allow headers depend on the caller's Origin, so a shared
 * cache must not hand one origin's answer (or its absence of one) to another. Registered ahead of the CORS
 * handler, which ends preflights itself.
 */
@ApplicationScoped
public class VaryByOrigin {

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            rc.response().headers().add("Vary", "Origin");
            rc.next();
        }, 10_000);
    }
}
