package dev.agentdock.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks one scenario for what would only break at conversation time: missing fields, duplicate or unknown
 * agents, tools no server bean provides. Every problem names the file and the field path.
 */
final class ScenarioValidator {

    /** Agent names become Realtime SDK handoff tool names ({@code transfer_to_<name>}), so they stay simple. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private final Predicate<String> toolExists;
    private final Collection<String> toolNames;

    ScenarioValidator(Predicate<String> toolExists, Collection<String> toolNames) {
        this.toolExists = toolExists;
        this.toolNames = toolNames;
    }

    static ScenarioLoadException failure(String file, String field, String message) {
        return new ScenarioLoadException(List.of(problem(file, field, message)));
    }

    static String problem(String file, String field, String message) {
        return "scenario file " + file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message;
    }

    /** All problems of the scenario read from {@code file}; empty when it is usable. */
    List<String> problems(String file, Scenario scenario) {
        List<String> out = new ArrayList<>();
        if (blank(scenario.id())) {
            out.add(problem(file, "id", "is required"));
        } else if (!NAME.matcher(scenario.id()).matches()) {
            out.add(problem(file, "id", "'" + scenario.id() + "' must start with a letter and contain only letters, digits, '_' and '-'"));
        }
        if (blank(scenario.name())) {
            out.add(problem(file, "name", "is required"));
        }
        if (scenario.agents().isEmpty()) {
            out.add(problem(file, "agents", "at least one agent is required"));
        }
        List<String> known = scenario.agents().stream().map(ScenarioAgent::name).filter(n -> !blank(n)).toList();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scenario.agents().size(); i++) {
            ScenarioAgent agent = scenario.agents().get(i);
            String at = "agents[" + i + "]";
            if (agent == null) {
                out.add(problem(file, at, "is empty"));
                continue;
            }
            if (blank(agent.name())) {
                out.add(problem(file, at + ".name", "is required"));
            } else if (!NAME.matcher(agent.name()).matches()) {
                out.add(problem(file, at + ".name", "'" + agent.name() + "' must start with a letter and contain only letters, digits, '_' and '-'"));
            } else if (!seen.add(agent.name())) {
                out.add(problem(file, at + ".name", "duplicate agent name '" + agent.name() + "'"));
            }
            if (blank(agent.description())) {
                out.add(problem(file, at + ".description", "is required (other agents read it to decide when to hand off)"));
            }
            if (blank(agent.instructions())) {
                out.add(problem(file, at + ".instructions", "is required"));
            }
            checkAgentRefs(file, at, agent, known, out);
        }
        if (blank(scenario.defaultRootAgent())) {
            out.add(problem(file, "default_root_agent", "is required"));
        } else if (!known.isEmpty() && !known.contains(scenario.defaultRootAgent())) {
            out.add(problem(file, "default_root_agent", "unknown agent '" + scenario.defaultRootAgent() + "' (known: " + String.join(", ", known) + ")"));
        }
        return out;
    }

    private void checkAgentRefs(String file, String at, ScenarioAgent agent, List<String> known, List<String> out) {
        for (int t = 0; t < agent.tools().size(); t++) {
            String tool = agent.tools().get(t);
            if (blank(tool) || !toolExists.test(tool)) {
                out.add(problem(file, at + ".tools[" + t + "]", "unknown tool '" + tool + "' (known: " + String.join(", ", toolNames) + ")"));
            }
        }
        for (int h = 0; h < agent.handoffs().size(); h++) {
            String target = agent.handoffs().get(h);
            if (blank(target) || !known.contains(target)) {
                out.add(problem(file, at + ".handoffs[" + h + "]", "unknown agent '" + target + "' (known: " + String.join(", ", known) + ")"));
            } else if (target.equals(agent.name())) {
                out.add(problem(file, at + ".handoffs[" + h + "]", "an agent cannot hand off to itself"));
            }
        }
        for (int a = 0; a < agent.approvalTools().size(); a++) {
            String tool = agent.approvalTools().get(a);
            if (!agent.tools().contains(tool)) {
                out.add(problem(file, at + ".approval_tools[" + a + "]", "'" + tool + "' is not one of the agent's tools (" + String.join(", ", agent.tools()) + ")"));
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
