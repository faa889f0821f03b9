package dev.agentdock.tool;

import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimited;
import io.quarkus.security.Authenticated;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /api/tools}: what server tools exist, and running one directly. */
@Authenticated
@RateLimited(RateLimitGroup.TOOLS)
@Path("/api/tools")
@Produces(MediaType.APPLICATION_JSON)
public class ToolsResource {

    /** One tool as clients see it: its JSON-schema parameters and time limit. */
    public record ToolView(String name, String description, Map<String, Object> parameters, long timeoutMs) {
    }

    /** {@code arguments} is a JSON object (not a JSON string); absent means no arguments. */
    public record ExecuteBody(@NotBlank @Size(max = 200) String name, JsonNode arguments, String sessionId) {
    }

    private final ToolRegistry registry;
    private final DirectToolCalls calls;
    private final CurrentUser user;

    ToolsResource(ToolRegistry registry, DirectToolCalls calls, CurrentUser user) {
        this.registry = registry;
        this.calls = calls;
        this.user = user;
    }

    @GET
    public List<ToolView> list() {
        return registry.all().stream().map(t -> new ToolView(t.name(), t.specification().description(),
                ToolSchemas.parameters(t.specification()), t.timeout().toMillis())).toList();
    }

    @POST
    @Path("/execute")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public ToolResult execute(@Valid @NotNull ExecuteBody body, @HeaderParam(ServiceKeyCheck.HEADER) String serviceKey) {
        JsonNode arguments = body.arguments() == null || body.arguments().isNull()
                ? JsonNodeFactory.instance.objectNode() : body.arguments();
        if (!arguments.isObject()) {
            throw new DomainException.Invalid("arguments", "must be a JSON object");
        }
        return calls.execute(user.id(), body.name(), arguments,
                body.sessionId() == null ? null : Ids.parse("session_id", body.sessionId()), serviceKey);
    }
}
