package dev.agentdock.session;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.agentdock.common.RawJson;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A step as clients see it: the LLM message, where it sits, and the metrics of producing it. */
public record StepView(UUID id, UUID sessionId, UUID runId, int sequence, String role, String content,
                       @JsonRawValue @JsonDeserialize(using = RawJson.class) String toolCalls, String toolCallId, String name, String toolName,
                       @JsonRawValue @JsonDeserialize(using = RawJson.class) String toolArguments, Metrics metrics, boolean interrupted, String error,
                       OffsetDateTime createdAt, OffsetDateTime completedAt) {

    public record Metrics(Double durationMs, Double firstTokenLatencyMs, Integer inputTokens, Integer outputTokens,
                          Integer totalTokens, String modelName, String provider, Double toolExecTimeMs) {
    }

    public static StepView of(Step s) {
        return new StepView(s.id, s.sessionId, s.runId, s.sequence, s.role.wire(), s.content, s.toolCalls,
                s.toolCallId, s.name, s.toolName, s.toolArguments,
                new Metrics(s.durationMs, s.firstTokenLatencyMs, s.inputTokens, s.outputTokens, s.totalTokens,
                        s.modelName, s.provider, s.toolExecTimeMs),
                s.interrupted, s.error, s.createdAt, s.completedAt);
    }
}
