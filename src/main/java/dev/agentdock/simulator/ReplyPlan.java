package dev.agentdock.simulator;

import java.util.List;

/**
 * Everything decided about one reply before a byte is written: either text tokens or tool calls, the failure to
 * simulate and the pacing. Routes only render it in their wire format.
 */
record ReplyPlan(List<String> textTokens, List<PlannedCall> calls, Markers.Failure failure, long ttftMs,
        long tokenDelayMs, int promptTokens) {

    /** A tool call with its arguments pre-split into the pieces that are streamed one chunk each. */
    record PlannedCall(String id, String name, String arguments, List<String> argumentParts) {}

    boolean isToolCall() {
        return !calls.isEmpty();
    }

    String text() {
        return String.join("", textTokens);
    }

    String finishReason() {
        return isToolCall() ? "tool_calls" : "stop";
    }

    /** One completion token per streamed content or arguments chunk, so usage matches what the client counted. */
    int completionTokens() {
        int n = textTokens.size();
        for (PlannedCall call : calls) {
            n += call.argumentParts().size();
        }
        return n;
    }

    /** Total generation time for non-streamed replies: the same pacing a stream would have had. */
    long totalDelayMs() {
        int pieces = completionTokens();
        return pieces == 0 ? ttftMs : ttftMs + (long) (pieces - 1) * tokenDelayMs;
    }
}
