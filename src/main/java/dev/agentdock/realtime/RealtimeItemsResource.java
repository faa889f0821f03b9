package dev.agentdock.realtime;

import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimited;
import io.quarkus.security.Authenticated;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.Ids;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/sessions/{id}/realtime/items}: voice turns join the session's timeline. */
@Authenticated
@RateLimited(RateLimitGroup.WRITES)
@Path("/api/sessions/{session_id}/realtime/items")
public class RealtimeItemsResource {

    public record ItemsBody(@NotNull JsonNode items) {
    }

    private final RealtimeItems items;
    private final CurrentUser user;

    RealtimeItemsResource(RealtimeItems items, CurrentUser user) {
        this.items = items;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public RealtimeItems.Stored append(@PathParam("session_id") String sessionId,
                                       @jakarta.validation.Valid @NotNull ItemsBody body) {
        return items.append(user.id(), Ids.parse("session_id", sessionId), body.items());
    }
}
