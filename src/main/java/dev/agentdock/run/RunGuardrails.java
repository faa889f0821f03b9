package dev.agentdock.run;

import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.GuardrailPolicy;
import dev.agentdock.guard.ModerationAction;
import dev.agentdock.guard.ModerationDecision;
import dev.agentdock.guard.Moderator;
import dev.agentdock.guard.Stage;
import dev.agentdock.run.events.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** The input and output guardrails of runs, judged by the moderator under the agent's policy. */
@ApplicationScoped
public class RunGuardrails {

    /** A verdict: what to do, the text to use (redacted when so decided), and the event fields describing it. */
    public record Verdict(ModerationAction action, String text, Map<String, Object> event) {
        public boolean blocked() {
            return action == ModerationAction.BLOCK;
        }

        /** The verdict as run events carry it; null when no guardrail judged. */
        @SuppressWarnings("unchecked")
        public RunEvent.Guardrail guardrail() {
            if (event.isEmpty()) {
                return null;
            }
            return new RunEvent.Guardrail((String) event.get("stage"), (String) event.get("action"),
                    (Map<String, Boolean>) event.get("categories"), (java.util.List<String>) event.get("sources"),
                    (Boolean) event.get("model_available"));
        }
    }

    static final String REFUSAL = "I can't share that response.";

    private final Moderator moderator;

    RunGuardrails(Moderator moderator) {
        this.moderator = moderator;
    }

    public Verdict input(AgentSpec agent, String message) {
        return judge(agent.guardrails().input(), message, Stage.INPUT);
    }

    public Verdict output(AgentSpec agent, String answer) {
        return judge(agent.guardrails().output(), answer, Stage.OUTPUT);
    }

    private Verdict judge(GuardrailPolicy.Side side, String text, Stage stage) {
        if (!side.active() || text == null || text.isBlank()) {
            return new Verdict(ModerationAction.ALLOW, text, Map.of());
        }
        ModerationDecision d = moderator.moderate(text, stage, new Moderator.Policy(side.moderation(),
                Moderator.PiiHandling.valueOf(side.pii().toUpperCase())));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("stage", stage.wire());
        event.put("action", d.action().wire());
        event.put("categories", d.categories());
        event.put("sources", d.sources());
        event.put("model_available", d.modelAvailable());
        String use = switch (d.action()) {
            case ALLOW -> text;
            case REDACT -> d.redactedText();
            case BLOCK -> stage == Stage.OUTPUT ? REFUSAL : d.redactedText();
        };
        return new Verdict(d.action(), use, event);
    }
}
