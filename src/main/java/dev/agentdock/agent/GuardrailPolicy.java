package dev.agentdock.agent;

/**
 * The guardrails an agent's runs apply (from its scenario): on the user's input before the model sees it, and on
 * the agent's final answer. {@code pii} is {@code allow}, {@code redact} or {@code block}.
 */
public record GuardrailPolicy(Side input, Side output) {

    public record Side(boolean moderation, String pii) {
        public boolean active() {
            return moderation || !"allow".equals(pii);
        }
    }

    /** No checks: the configured default agent's policy unless a scenario says otherwise. */
    public static final GuardrailPolicy NONE = new GuardrailPolicy(new Side(false, "allow"), new Side(false, "allow"));
}
