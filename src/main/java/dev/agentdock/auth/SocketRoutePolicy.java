package dev.agentdock.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The permission policy of {@code /ws/*} (quarkus.http.auth.permission.sockets): the two socket routes,
 * {@code /ws/me} and {@code /ws/sessions/{id}}, are let through to their own upgrade check, which refuses a socket
 * by accepting it and closing it with 4401 and a reason (a browser reads nothing of a refused handshake). Every other
 * path there needs an authenticated caller, as everywhere else.
 */
@ApplicationScoped
public class SocketRoutePolicy implements HttpSecurityPolicy {

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext requestContext) {
        if (ApiAuthMechanism.isSocketRoute(request.normalizedPath())) {
            return Uni.createFrom().item(CheckResult.PERMIT);
        }
        return identity.map(id -> id.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return "socket-routes";
    }
}
