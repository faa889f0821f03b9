package dev.agentdock.agent;

import java.util.Optional;

/** Where the turn engine finds agents by name (scenario agents and the configured default agent). */
public interface AgentDirectory {

    Optional<AgentSpec> find(String agentName);
}
