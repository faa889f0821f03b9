package dev.agentdock.realtime;

import dev.agentdock.auth.CurrentUser;
import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimited;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** Voice session bootstrap for browsers: they get ephemeral keys only, never the server's key. */
@Authenticated
@RateLimited(RateLimitGroup.BOOTSTRAP)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class RealtimeSessionResource {

    private final SessionBootstrapService bootstrap;
    private final CurrentUser user;

    RealtimeSessionResource(SessionBootstrapService bootstrap, CurrentUser user) {
        this.bootstrap = bootstrap;
        this.user = user;
    }

    /** A bare Realtime ephemeral key: {@code {value, expires_at}}. */
    @GET
    @Path("/session")
    public EphemeralKey session() {
        return bootstrap.ephemeralKey();
    }

    /**
     * A scenario voice session: key, agents (root first), guardrails and the orchestration socket. The session
     * belongs to the authenticated caller, like everything else a caller creates. With {@code session_id} (the
     * caller's session of the same scenario) that session is continued: its active agent is the root and its recent
     * history comes back as {@code history} (conversation items). {@code mint_key=false}: no ephemeral key (null), for
     * a browser that sets its call up through the service's SDP route and so never needs one.
     */
    @GET
    @Path("/session2")
    public SessionInitPayload session2(@QueryParam("scenario_id") String scenarioId,
                                       @QueryParam("root_agent") String rootAgent,
                                       @QueryParam("session_id") String sessionId,
                                       @QueryParam("mint_key") String mintKey, @Context HttpServerRequest request) {
        return bootstrap.start(user.id(), scenarioId, rootAgent, RequestOrigin.of(request.getHeader("Forwarded"),
                request.getHeader("X-Forwarded-Proto"), request.getHeader("X-Forwarded-Host"), request.scheme(),
                request.getHeader("Host")), sessionId, wantsKey(mintKey));
    }

    /** {@code mint_key}: absent or {@code true} mints the key, {@code false} does not; anything else is a 422. */
    static boolean wantsKey(String mintKey) {
        if (mintKey == null || mintKey.equals("true")) {
            return true;
        }
        if (mintKey.equals("false")) {
            return false;
        }
        throw new dev.agentdock.common.DomainException.Invalid("mint_key", "must be true or false");
    }
}
