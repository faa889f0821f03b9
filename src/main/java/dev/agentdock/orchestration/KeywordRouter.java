package dev.agentdock.orchestration;

import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The deterministic fallback: the agent whose name and description share the most words with the user's last
 * message; ties keep the current agent (or the scenario's default root).
 */
final class KeywordRouter {

    private static final Set<String> STOP_WORDS = Set.of("the", "a", "an", "and", "or", "to", "of", "in", "on", "for",
            "with", "is", "are", "i", "you", "my", "me", "it", "this", "that", "can", "please", "want", "would", "like",
            "about", "be", "do", "have", "what", "how", "your", "their", "them", "who", "any", "agent", "handles");

    private KeywordRouter() {
    }

    static OrchestrationDecision decide(Scenario scenario, String current, String lastUserMessage, String why) {
        Set<String> asked = words(lastUserMessage);
        String keep = current != null && scenario.agent(current).isPresent() ? current : scenario.defaultRootAgent();
        String best = keep;
        long bestScore = score(scenario.agent(keep).orElseThrow(), asked);
        for (ScenarioAgent agent : scenario.agents()) {
            long s = score(agent, asked);
            if (s > bestScore) {
                best = agent.name();
                bestScore = s;
            }
        }
        double confidence = asked.isEmpty() ? 0.0 : Math.min(1.0, 0.3 + 0.2 * bestScore);
        String reason = bestScore == 0 ? why + "; no agent matches the message better than '" + keep + "'"
                : why + "; '" + best + "' shares " + bestScore + " word(s) with the message";
        return new OrchestrationDecision(best, confidence, reason, !best.equals(current), OrchestrationDecision.BY_FALLBACK);
    }

    private static long score(ScenarioAgent agent, Set<String> asked) {
        Set<String> about = words(agent.name().replace('_', ' ').replace('-', ' ') + " " + agent.description());
        return asked.stream().filter(about::contains).count();
    }

    static Set<String> words(String text) {
        if (text == null) {
            return Set.of();
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() > 2 && !STOP_WORDS.contains(w))
                .map(w -> w.endsWith("s") && w.length() > 4 ? w.substring(0, w.length() - 1) : w)
                .collect(Collectors.toSet());
    }
}
