package dev.agentdock.tool;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.ToolExecutor;
import java.time.Duration;

/** A server tool: its JSON-schema specification (as LangChain4j derives it), how to run it and its time limit. */
public record RegisteredTool(String name, ToolSpecification specification, ToolExecutor executor, Duration timeout) {
}
