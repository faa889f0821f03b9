package dev.agentdock.scenario;

import java.util.List;

/**
 * Scenario files that cannot be used. Thrown at start so the service refuses to run with them; the message names
 * the file and, for each problem, the field path ({@code agents[1].handoffs[0]}) or the line.
 */
public class ScenarioLoadException extends RuntimeException {

    private final List<String> problems;

    public ScenarioLoadException(List<String> problems) {
        super(problems.size() == 1 ? problems.getFirst()
                : problems.size() + " problems in scenario files:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
