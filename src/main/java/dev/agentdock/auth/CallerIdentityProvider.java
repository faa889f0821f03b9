package dev.agentdock.auth;

import dev.agentdock.common.DomainException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns {@link CallerCredentials} into a {@link SecurityIdentity} whose principal is the user everything is scoped
 * to. Roles: {@code user} for everybody authenticated, plus {@code service} for a trusted backend (service key).
 * A refusal is an {@link AuthenticationFailedException} whose cause is the {@link DomainException.Unauthorized}
 * that says why; {@link AuthFailureHandler} writes it as problem+json.
 */
@ApplicationScoped
public class CallerIdentityProvider implements IdentityProvider<CallerCredentials> {

    /** The {@link Caller} of an identity, as an attribute. */
    public static final String CALLER = "agentdock.caller";
    public static final String ROLE_USER = "user";
    public static final String ROLE_SERVICE = "service";

    /** The authenticated caller of a Vert.x route (the routes outside JAX-RS), or null for none. */
    public static Caller callerOf(io.vertx.ext.web.RoutingContext ctx) {
        return ctx.user() instanceof io.quarkus.vertx.http.runtime.security.QuarkusHttpUser user
                && !user.getSecurityIdentity().isAnonymous()
                ? user.getSecurityIdentity().getAttribute(CALLER) : null;
    }

    private final Authenticator authenticator;

    CallerIdentityProvider(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Class<CallerCredentials> getRequestType() {
        return CallerCredentials.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CallerCredentials credentials, AuthenticationRequestContext context) {
        if (authenticator.mayBlock()) {
            // A JWKS may have to be fetched: not on the event loop.
            return context.runBlocking(() -> identity(credentials));
        }
        return Uni.createFrom().item(() -> identity(credentials));
    }

    private SecurityIdentity identity(CallerCredentials credentials) {
        Caller caller;
        try {
            caller = authenticator.authenticate(credentials.request(), credentials.tokenOutsideHeader());
        } catch (DomainException.Unauthorized e) {
            throw new AuthenticationFailedException(e.getMessage(), e);
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.userId()))
                .addRole(ROLE_USER)
                .addAttribute(CALLER, caller);
        if (caller.service()) {
            identity.addRole(ROLE_SERVICE);
        }
        return identity.build();
    }
}
