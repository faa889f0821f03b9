package dev.agentdock.auth;

import dev.agentdock.common.DomainException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, for the rest of the request: the {@link Caller} that Quarkus Security authenticated
 * ({@link ApiAuthMechanism}). Everything the service stores is scoped to {@link #id()}. Asking for the caller of a
 * request that has none is a refusal, not an anonymous user: a resource cannot act for nobody even if the
 * permission policy were misconfigured.
 */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller caller() {
        Caller caller = identity.isAnonymous() ? null : identity.getAttribute(CallerIdentityProvider.CALLER);
        if (caller == null) {
            throw new DomainException.Unauthorized("an access token is required (Authorization: Bearer <token>)", false);
        }
        return caller;
    }

    public String id() {
        return caller().userId();
    }
}
