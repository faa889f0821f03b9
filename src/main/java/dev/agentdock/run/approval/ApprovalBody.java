package dev.agentdock.run.approval;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /api/runs/{id}/approve}: a decision on one pending tool call, optionally with edited arguments. */
public record ApprovalBody(@NotBlank @Size(max = 200) String toolCallId, @NotNull Boolean approved, JsonNode arguments) {
}
