package dev.agentdock.realtime;

import dev.agentdock.scenario.GuardrailSettings;
import dev.agentdock.tool.FunctionTool;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.UUID;

/**
 * What {@code /api/session2} answers: everything a browser needs to open a Realtime voice session with a scenario's
 * agents. {@code initialAgents} has the root agent first; each entry maps one-to-one onto the OpenAI Agents JS
 * {@code RealtimeAgent} options (handoffs by name). {@code history}: a continued session's recent steps as Realtime
 * conversation items (empty for a new session). {@code ephemeralKey} is null when the caller asked for none
 * ({@code mint_key=false}).
 */
@RegisterForReflection
public record SessionInitPayload(UUID sessionId, String scenarioId, String rootAgent, EphemeralKey ephemeralKey,
                                 String realtimeModel, List<InitialAgent> initialAgents, GuardrailSettings guardrails,
                                 String orchestrationWsUrl, List<java.util.Map<String, Object>> history) {

    @RegisterForReflection
    public record InitialAgent(String name, String instructions, String handoffDescription, List<FunctionTool> tools,
                               List<String> handoffs, String voice, List<String> approvalTools) {
    }
}
