package dev.agentdock.auth;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, for the rest of the request. Usually {@link ApiAccessFilter} has authenticated the request
 * already and left the {@link Caller} on the routing context; otherwise it is authenticated here, once, on first
 * use. Everything the service stores is scoped to {@link #id()}.
 */
@RequestScoped
public class CurrentUser {

    static final String CALLER_KEY = "agentdock.caller";

    private final RoutingContext routing;
    private final Authenticator authenticator;
    private Caller caller;

    CurrentUser(RoutingContext routing, Authenticator authenticator) {
        this.routing = routing;
        this.authenticator = authenticator;
    }

    public Caller caller() {
        if (caller == null) {
            Caller known = routing.get(CALLER_KEY);
            caller = known != null ? known : authenticator.authenticate(routing.request());
        }
        return caller;
    }

    public String id() {
        return caller().userId();
    }
}
