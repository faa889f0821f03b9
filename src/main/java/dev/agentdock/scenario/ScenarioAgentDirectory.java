package dev.agentdock.scenario;

import dev.agentdock.agent.GuardrailPolicy;

import dev.agentdock.agent.AgentDirectory;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.tool.ToolRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Agents by name for the turn engine: every scenario's agents, plus the configured default agent. Agent names are
 * unique within a scenario but not across scenarios; when several scenarios define the same name, the one of the
 * scenario whose id sorts first wins, and a scenario agent wins over the default agent of the same name.
 */
@Startup
@ApplicationScoped
public class ScenarioAgentDirectory implements AgentDirectory {

    private final Map<String, AgentSpec> agents = new HashMap<>();

    ScenarioAgentDirectory(ScenarioRegistry scenarios,
                           dev.agentdock.agent.ConfiguredAgentDirectory.DefaultAgentConfig defaultAgent, ToolRegistry tools) {
        for (Scenario scenario : scenarios.all()) {
            GuardrailPolicy guardrails = policyOf(scenario.guardrails());
            for (ScenarioAgent a : scenario.agents()) {
                agents.putIfAbsent(a.name(), new AgentSpec(a.name(), a.instructions(), a.model(), a.tools(),
                        Set.copyOf(a.approvalTools()), guardrails));
            }
        }
        List<String> unknown = defaultAgent.tools().stream().filter(t -> !tools.has(t)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("agentdock.run.default-agent.tools: unknown tool(s) " + unknown);
        }
        agents.putIfAbsent(defaultAgent.name(), new AgentSpec(defaultAgent.name(), defaultAgent.instructions(),
                defaultAgent.model(), defaultAgent.tools(), Set.copyOf(defaultAgent.approvalTools().orElse(List.of()))));
    }

    /** The scenario's guardrail settings in the turn engine's terms. */
    static GuardrailPolicy policyOf(GuardrailSettings settings) {
        return new GuardrailPolicy(
                new GuardrailPolicy.Side(settings.input().moderation(), settings.input().pii().wire()),
                new GuardrailPolicy.Side(settings.output().moderation(), settings.output().pii().wire()));
    }

    @Override
    public Optional<AgentSpec> find(String agentName) {
        return Optional.ofNullable(agentName == null ? null : agents.get(agentName));
    }
}
