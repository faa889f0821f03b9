package dev.agentdock.scenario;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One agent of a scenario. {@code description} says what the agent handles; other agents read it to decide when to
 * hand off (it becomes the Realtime SDK's {@code handoffDescription}). {@code model} and {@code voice} may be
 * absent: the scenario default model and the Realtime API's default voice apply.
 */
@RegisterForReflection
public record ScenarioAgent(String name, String description, String instructions, String model, String voice,
                            List<String> tools, List<String> handoffs, List<String> approvalTools) {

    public ScenarioAgent {
        tools = tools == null ? List.of() : List.copyOf(tools);
        handoffs = handoffs == null ? List.of() : List.copyOf(handoffs);
        approvalTools = approvalTools == null ? List.of() : List.copyOf(approvalTools);
    }

    ScenarioAgent withModel(String newModel) {
        return new ScenarioAgent(name, description, instructions, newModel, voice, tools, handoffs, approvalTools);
    }
}
