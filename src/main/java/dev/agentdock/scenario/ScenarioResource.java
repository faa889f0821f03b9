package dev.agentdock.scenario;

import io.quarkus.security.Authenticated;
import dev.agentdock.tool.ToolRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Authenticated
@Path("/api/scenarios")
@Produces(MediaType.APPLICATION_JSON)
public class ScenarioResource {

    private final ScenarioRegistry scenarios;
    private final ToolRegistry tools;

    ScenarioResource(ScenarioRegistry scenarios, ToolRegistry tools) {
        this.scenarios = scenarios;
        this.tools = tools;
    }

    /** Every scenario, in id order, without agent details. */
    @GET
    public List<ScenarioViews.ScenarioSummary> list() {
        return scenarios.all().stream().map(ScenarioViews.ScenarioSummary::of).toList();
    }

    /** One scenario with its agents; each agent's tools as function schemas. */
    @GET
    @Path("/{id}")
    public ScenarioViews.ScenarioDetail get(@PathParam("id") String id) {
        return ScenarioViews.ScenarioDetail.of(scenarios.require(id), tools);
    }
}
