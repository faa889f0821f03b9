package dev.agentdock.orchestration;

/** Which agent should lead the session now, how sure, why, whether that is a switch, and who decided. */
public record OrchestrationDecision(String rootAgent, double confidence, String reason, boolean switched,
                                    String decidedBy) {

    public static final String BY_MODEL = "model";
    public static final String BY_FALLBACK = "fallback";
}
