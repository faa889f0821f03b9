package dev.agentdock.realtime;

import dev.agentdock.common.DomainException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Voice session bootstrap for browsers: they get ephemeral keys only, never the server's key. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class RealtimeSessionResource {

    /** Until authentication lands, the caller names its user; anonymous otherwise. */
    static final String USER_HEADER = "X-User-Id";

    private final SessionBootstrapService bootstrap;

    RealtimeSessionResource(SessionBootstrapService bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** A bare Realtime ephemeral key: {@code {value, expires_at}}. */
    @GET
    @Path("/session")
    public EphemeralKey session() {
        return bootstrap.ephemeralKey();
    }

    /** A scenario voice session: key, agents (root first), guardrails and the orchestration socket. */
    @GET
    @Path("/session2")
    public SessionInitPayload session2(@QueryParam("scenario_id") String scenarioId,
                                       @QueryParam("root_agent") String rootAgent,
                                       @HeaderParam(USER_HEADER) @DefaultValue("anonymous") String userId) {
        if (userId.isBlank() || userId.length() > 200) {
            throw new DomainException.Invalid(USER_HEADER, "must be 1 to 200 characters");
        }
        return bootstrap.start(userId.strip(), scenarioId, rootAgent);
    }
}
