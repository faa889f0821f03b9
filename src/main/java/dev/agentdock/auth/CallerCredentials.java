package dev.agentdock.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The credentials of one HTTP request (or WebSocket upgrade), handed from {@link ApiAuthMechanism} to
 * {@link CallerIdentityProvider}. {@code tokenOutsideHeader}: whether this route may carry its token in the query
 * string or the WebSocket subprotocol (only the sockets and the SSE re-join, which browsers open without headers).
 */
public final class CallerCredentials extends BaseAuthenticationRequest {

    private final HttpServerRequest request;
    private final boolean tokenOutsideHeader;

    CallerCredentials(HttpServerRequest request, boolean tokenOutsideHeader) {
        this.request = request;
        this.tokenOutsideHeader = tokenOutsideHeader;
    }

    HttpServerRequest request() {
        return request;
    }

    boolean tokenOutsideHeader() {
        return tokenOutsideHeader;
    }
}
