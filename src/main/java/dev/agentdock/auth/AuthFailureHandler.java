package dev.agentdock.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refusals of Quarkus Security (proactive authentication and the permission policy run before any resource) are
 * answered in problem+json like every other error, with {@code WWW-Authenticate} on a 401.
 */
@ApplicationScoped
public class AuthFailureHandler {

    private final ObjectMapper json;

    AuthFailureHandler(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        DomainException refusal = refusalOf(ctx.failure());
        if (refusal == null) {
            ctx.next();
            return;
        }
        ProblemMapper.send(ctx, json, ProblemMapper.problemOf(refusal, ctx.normalizedPath()), ProblemMapper.headersOf(refusal));
    }

    static DomainException refusalOf(Throwable failure) {
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            return failure.getCause() instanceof DomainException.Unauthorized why ? why
                    : new DomainException.Unauthorized("an access token is required (Authorization: Bearer <token>)", false);
        }
        if (failure instanceof ForbiddenException) {
            return new DomainException.Forbidden("not allowed for this caller");
        }
        return null;
    }
}
