package dev.agentdock.run;

import java.util.List;
import java.util.Set;

/**
 * What the turn engine needs of an agent: a name, its instructions (the system prompt), the model, the tools it
 * may call and which of those need a human's approval before they run.
 */
public record AgentSpec(String name, String instructions, String model, List<String> tools, Set<String> approvalTools,
                        GuardrailPolicy guardrails) {

    public AgentSpec {
        tools = tools == null ? List.of() : List.copyOf(tools);
        approvalTools = approvalTools == null ? Set.of() : Set.copyOf(approvalTools);
        guardrails = guardrails == null ? GuardrailPolicy.NONE : guardrails;
    }

    public AgentSpec(String name, String instructions, String model, List<String> tools, Set<String> approvalTools) {
        this(name, instructions, model, tools, approvalTools, GuardrailPolicy.NONE);
    }
}
