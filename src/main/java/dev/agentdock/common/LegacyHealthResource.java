package dev.agentdock.common;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** The legacy client's liveness probe; readiness with component detail lives at /q/health/ready. */
@PermitAll
@Path("/api/health")
public class LegacyHealthResource {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }
}
