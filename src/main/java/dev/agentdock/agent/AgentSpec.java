package dev.agentdock.agent;

import java.util.List;
import java.util.Set;

/**
 * What the turn engine needs of an agent: a name, its instructions (the system prompt), the model, the tools it
 * may call, which of those need a human's approval before they run, and its scenario's guardrails. A variant of an
 * agent (a session's own instructions or model) is made with {@link #as}, which keeps everything else.
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

    /**
     * This agent under another name, instructions or model ({@code null}: this agent's own): its tools, approvals
     * and guardrail policy go with it, so no path that runs a variant loses its scenario's guardrails.
     */
    public AgentSpec as(String name, String instructions, String model) {
        return new AgentSpec(name != null ? name : this.name, instructions != null ? instructions : this.instructions,
                model != null ? model : this.model, tools, approvalTools, guardrails);
    }
}
