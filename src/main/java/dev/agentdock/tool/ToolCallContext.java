package dev.agentdock.tool;

import java.util.UUID;

/**
 * Who a tool runs for. Passed to LangChain4j as the memory id, so a tool method receives it through a
 * {@code @ToolMemoryId} parameter and can scope what it reads and writes to the user.
 */
public record ToolCallContext(String userId, UUID sessionId, UUID runId) {
}
