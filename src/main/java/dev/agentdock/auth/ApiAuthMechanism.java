package dev.agentdock.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The service's one HTTP authentication mechanism (Quarkus Security). Whether a route needs a caller at all is not
 * decided here but by the deny-by-default permission policy in application.properties (every path authenticated but
 * the explicit public list) and by {@code @Authenticated} on every resource: this only says who the caller is.
 * A request without any credential is anonymous (and then refused by the policy with {@link #getChallenge}).
 */
@ApplicationScoped
public class ApiAuthMechanism implements HttpAuthenticationMechanism {

    /** Why the credentials of this request were refused, for the challenge. */
    private static final String REFUSAL = "agentdock.auth.refusal";

    private final AuthConfig.Mode mode;
    private final ObjectMapper json;

    ApiAuthMechanism(AuthConfig config, ObjectMapper json) {
        this.mode = config.mode();
        this.json = json;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String path = context.normalizedPath();
        boolean tokenOutsideHeader = tokenOutsideHeaderAllowed(path);
        // the public list needs nobody; a bearer value there (the simulator's own key) is not ours to judge.
        // The two socket routes are judged at their upgrade (orchestration/SocketUpgradeCheck), which accepts a
        // refused socket and closes it with 4401 and a reason: a browser sees nothing of a refused handshake.
        if (isPublic(path) || isSocketRoute(path) || (mode == AuthConfig.Mode.JWT && !presentsCredentials(context, tokenOutsideHeader))) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new CallerCredentials(context.request(), tokenOutsideHeader))
                .onFailure().invoke(failure -> context.put(REFUSAL, failure));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** The challenge as problem+json, saying why when a credential was refused. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        Throwable failure = context.get(REFUSAL);
        DomainException refusal = AuthFailureHandler.refusalOf(
                failure != null ? failure : new io.quarkus.security.AuthenticationFailedException());
        ProblemMapper.send(context, json, ProblemMapper.problemOf(refusal, context.normalizedPath()),
                ProblemMapper.headersOf(refusal));
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CallerCredentials.class);
    }

    /**
     * Browsers cannot set headers on a WebSocket or an EventSource, so the two socket routes and the SSE re-join
     * may carry the token in {@code ?access_token=} or the subprotocol; every other route only in a header, so a
     * token does not end up in access logs and browser history for no reason.
     */
    static boolean tokenOutsideHeaderAllowed(String path) {
        return path != null && (path.startsWith("/ws/")
                || (path.startsWith("/api/runs/") && path.endsWith("/stream")));
    }

    /**
     * {@code /ws/me} and {@code /ws/sessions/{id}}: the only paths under {@code /ws/} that the permission policy
     * (quarkus.http.auth.permission.sockets) lets through to their own upgrade check; any other is gated as usual.
     */
    static boolean isSocketRoute(String path) {
        if (path == null) {
            return false;
        }
        if (path.equals("/ws/me")) {
            return true;
        }
        String prefix = "/ws/sessions/";
        return path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0;
    }

    /** The paths application.properties permits without a caller (quarkus.http.auth.permission.public). */
    static boolean isPublic(String path) {
        return path != null && (path.equals("/api/health") || path.equals("/q/health") || path.startsWith("/q/health/")
                || path.equals("/q/openapi") || path.equals("/q/swagger-ui") || path.startsWith("/q/swagger-ui/")
                || path.startsWith("/v1/"));
    }

    private static boolean presentsCredentials(RoutingContext context, boolean tokenOutsideHeader) {
        var request = context.request();
        if (request.getHeader(Authenticator.SERVICE_KEY_HEADER) != null
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return true;
        }
        return tokenOutsideHeader && (request.getParam("access_token") != null
                || Authenticator.protocolToken(request.getHeader("Sec-WebSocket-Protocol")) != null);
    }
}
