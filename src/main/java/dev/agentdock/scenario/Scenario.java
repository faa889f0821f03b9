package dev.agentdock.scenario;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Optional;

/**
 * A server-owned scenario: a small team of agents that hand conversations to each other, the agent a session
 * starts with, and the guardrails its sessions run under. Read from YAML (snake_case keys).
 */
@RegisterForReflection
public record Scenario(String id, String name, String description, String defaultRootAgent,
                       GuardrailSettings guardrails, List<ScenarioAgent> agents) {

    public Scenario {
        description = description == null ? "" : description;
        guardrails = guardrails == null ? GuardrailSettings.DEFAULT : guardrails;
        agents = agents == null ? List.of() : List.copyOf(agents);
    }

    public Optional<ScenarioAgent> agent(String agentName) {
        return agents.stream().filter(a -> a.name().equals(agentName)).findFirst();
    }

    public List<String> agentNames() {
        return agents.stream().map(ScenarioAgent::name).toList();
    }
}
