package dev.agentdock.run.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** How a run's tool calls are written down: the assistant step's {@code tool_calls} column and the tool steps. */
final class ToolCallSteps {

    private ToolCallSteps() {
    }

    /** A tool step answering {@code call}, with {@code content} as what the model will read. */
    static Step of(ObjectMapper json, UUID sessionId, UUID runId, ToolExecutionRequest call, int sequence,
                   String content) {
        Step step = new Step();
        step.sessionId = sessionId;
        step.runId = runId;
        step.sequence = sequence;
        step.role = StepRole.TOOL;
        step.toolCallId = call.id();
        step.toolName = call.name();
        step.name = call.name();
        step.toolArguments = validJsonOrNull(json, call.arguments());
        step.content = content;
        step.completedAt = now();
        step.createdAt = step.completedAt;
        return step;
    }

    /**
     * Now, as PostgreSQL stores it (microseconds): a step's times are set in memory and sent live in its
     * {@code step_completed}, so they must be what a replay reads back.
     */
    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /** The calls in OpenAI's {@code tool_calls} shape, as stored with the assistant step. */
    static String toolCallsJson(ObjectMapper json, List<ToolExecutionRequest> calls) {
        ArrayNode array = json.createArrayNode();
        for (ToolExecutionRequest call : calls) {
            ObjectNode c = array.addObject();
            c.put("id", call.id());
            c.put("type", "function");
            c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
        return array.toString();
    }

    private static String validJsonOrNull(ObjectMapper json, String arguments) {
        try {
            return arguments == null ? null : json.readTree(arguments).toString();
        } catch (Exception e) {
            return null; // the model produced invalid JSON; the tool step's error says so
        }
    }
}
