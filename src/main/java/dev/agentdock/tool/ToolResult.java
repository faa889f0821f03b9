package dev.agentdock.tool;

/**
 * What one tool call produced. A failure is a result too: the model sees {@code error} and can recover, the run
 * goes on.
 */
public record ToolResult(String name, boolean ok, String result, String error, double durationMs) {

    /** The text the model receives as the tool message content. */
    public String modelText() {
        return ok ? result : "ERROR: " + error;
    }
}
