package dev.agentdock.tool;

/**
 * Marker for a bean whose {@code @dev.langchain4j.agent.tool.Tool} methods are server tools. Such beans are
 * {@code @Singleton} (no client proxy), so LangChain4j reads the annotations off the real class.
 */
public interface AgentTools {
}
