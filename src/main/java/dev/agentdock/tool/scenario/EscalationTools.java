package dev.agentdock.tool.scenario;

import dev.agentdock.tool.AgentTools;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Set;

/** The human-escalation path any scenario may offer. Fake: it answers a ticket number, no queue is written to. */
@Singleton
public class EscalationTools implements AgentTools {

    private static final Set<String> URGENCIES = Set.of("low", "normal", "high");

    @Tool(name = "escalate_to_human", value = "Hands the conversation to a human support agent. Use when the customer "
            + "asks for a person, is upset, or needs something no tool can do. Returns a ticket number and when a "
            + "human will reply.")
    public String escalateToHuman(@P("why the conversation needs a human, one sentence") String reason,
                                  @P("what happened so far and what the customer wants, so the human need not ask again") String summary,
                                  @P(value = "low, normal or high; high only for safety issues or an upset customer", required = false) String urgency) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required");
        }
        String level = urgency == null || urgency.isBlank() ? "normal" : urgency.strip().toLowerCase(Locale.ROOT);
        if (!URGENCIES.contains(level)) {
            throw new IllegalArgumentException("urgency must be low, normal or high, not '" + urgency + "'");
        }
        String ticket = "HUM-" + String.format("%06d", Math.abs((reason + summary).hashCode()) % 1_000_000);
        String eta = switch (level) {
            case "high" -> "within 15 minutes";
            case "low" -> "within 2 business days";
            default -> "within 1 business day";
        };
        return "Escalated as ticket " + ticket + " (" + level + " urgency). A human agent will reply " + eta
                + ". Tell the customer the ticket number.";
    }
}
