package dev.agentdock.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * The gate of every {@code /api/**} route except {@code /api/health}: authenticates the caller (leaving the
 * {@link Caller} for {@link CurrentUser}) and counts the request against its rate-limit group. Runs as a Vert.x
 * route after CORS (so preflights are answered without credentials) and before any resource; refusals are
 * problem+json like every other error.
 */
@ApplicationScoped
public class ApiAccessFilter {

    /** After CORS (-300), before resources and WebSocket upgrades. */
    static final int ORDER = -SecurityHandlerPriorities.AUTHENTICATION;

    private final Authenticator authenticator;
    private final RateLimiter limiter;
    private final ObjectMapper json;

    ApiAccessFilter(Authenticator authenticator, RateLimiter limiter, ObjectMapper json) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::filter);
    }

    private void filter(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals("/api/health") || path.equals("/api/health/")) {
            ctx.next();
            return;
        }
        Context requestContext = Vertx.currentContext();
        authenticate(ctx)
                .call(caller -> {
                    ctx.put(CurrentUser.CALLER_KEY, caller);
                    Optional<RateLimitGroup> group = RateLimitGroup.of(ctx.request().method(), path);
                    return group.isPresent() ? limiter.hit(group.get(), caller) : Uni.createFrom().voidItem();
                })
                .subscribe().with(caller -> onContext(requestContext, ctx::next),
                        failure -> onContext(requestContext, () -> refuse(ctx, failure)));
    }

    /** Redis answers on its own event loop; the request goes on on its own. */
    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    private Uni<Caller> authenticate(RoutingContext ctx) {
        if (authenticator.mayBlock()) {
            // A JWKS may have to be fetched: not on the event loop.
            return Uni.createFrom().completionStage(() -> ctx.vertx()
                    .executeBlocking(() -> authenticator.authenticate(ctx.request()), false)
                    .toCompletionStage());
        }
        return Uni.createFrom().item(() -> authenticator.authenticate(ctx.request()));
    }

    private void refuse(RoutingContext ctx, Throwable failure) {
        if (!(failure instanceof DomainException domain)) {
            Log.errorf(failure, "access check failed on %s", ctx.normalizedPath());
            ctx.fail(failure);
            return;
        }
        ProblemMapper.send(ctx, json, ProblemMapper.problemOf(domain, ctx.normalizedPath()), ProblemMapper.headersOf(domain));
    }
}
