package dev.agentdock.scenario;

import dev.agentdock.tool.FunctionTool;
import dev.agentdock.tool.ToolRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** What {@code /api/scenarios} answers: scenarios as clients see them, tools as function schemas. */
public final class ScenarioViews {

    private ScenarioViews() {
    }

    @RegisterForReflection
    public record ScenarioSummary(String id, String name, String description, List<String> agentNames, String defaultRootAgent) {
        static ScenarioSummary of(Scenario s) {
            return new ScenarioSummary(s.id(), s.name(), s.description(), s.agentNames(), s.defaultRootAgent());
        }
    }

    @RegisterForReflection
    public record ScenarioDetail(String id, String name, String description, String defaultRootAgent,
                         GuardrailSettings guardrails, List<AgentView> agents) {
        static ScenarioDetail of(Scenario s, ToolRegistry tools) {
            return new ScenarioDetail(s.id(), s.name(), s.description(), s.defaultRootAgent(), s.guardrails(),
                    s.agents().stream().map(a -> AgentView.of(a, tools)).toList());
        }
    }

    @RegisterForReflection
    public record AgentView(String name, String description, String instructions, String model, String voice,
                        List<FunctionTool> tools, List<String> handoffs, List<String> approvalTools) {
        static AgentView of(ScenarioAgent a, ToolRegistry tools) {
            return new AgentView(a.name(), a.description(), a.instructions(), a.model(), a.voice(),
                    FunctionTool.of(tools, a.tools()), a.handoffs(), a.approvalTools());
        }
    }
}
