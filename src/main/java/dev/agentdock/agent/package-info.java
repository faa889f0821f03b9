/**
 * Agents as a turn sees them: {@link dev.agentdock.agent.AgentSpec}, the {@link dev.agentdock.agent.AgentDirectory}
 * that finds them by name (scenario/ provides one, the configured default agent is the fallback) and the agent a
 * session talks to. Imports only session/ and common/; run/, tool/, scenario/ and voice/ import it.
 */
package dev.agentdock.agent;
