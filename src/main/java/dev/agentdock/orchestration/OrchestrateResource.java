package dev.agentdock.orchestration;

import io.quarkus.security.Authenticated;
import dev.agentdock.auth.CurrentUser;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/orchestrate}: which agent should lead the session now. */
@Authenticated
@Path("/api/orchestrate")
public class OrchestrateResource {

    private final Orchestrator orchestrator;
    private final CurrentUser user;

    OrchestrateResource(Orchestrator orchestrator, CurrentUser user) {
        this.orchestrator = orchestrator;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public OrchestrationDecision orchestrate(@Valid @NotNull OrchestrateRequest request) {
        return orchestrator.decide(user.id(), request);
    }
}
