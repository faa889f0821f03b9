package dev.agentdock.realtime;

import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import dev.agentdock.tool.FunctionTool;
import dev.agentdock.tool.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GA Realtime session config of a scenario agent, as a minted key, a call the service creates and a
 * {@code session.update} after an agent switch all carry it: model, instructions, voice, the agent's tools plus its
 * handoff tools (named as the Agents SDK names them, {@code transfer_to_<agent>}), input transcription on (so
 * transcripts exist for the timeline and the guardrails) and turn detection.
 */
@ApplicationScoped
public class RealtimeSessionConfig {

    private final ToolRegistry tools;
    private final RealtimeConfig config;

    RealtimeSessionConfig(ToolRegistry tools, RealtimeConfig config) {
        this.tools = tools;
        this.config = config;
    }

    public Map<String, Object> of(Scenario scenario, ScenarioAgent agent) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("type", "realtime");
        session.put("model", config.model());
        session.put("instructions", agent.instructions());
        session.put("output_modalities", config.outputModalities());
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("transcription", Map.of("model", config.transcriptionModel()));
        input.put("turn_detection", Map.of("type", config.turnDetection(), "create_response", true,
                "interrupt_response", true));
        Map<String, Object> audio = new LinkedHashMap<>();
        audio.put("input", input);
        if (agent.voice() != null && !agent.voice().isBlank()) {
            audio.put("output", Map.of("voice", agent.voice()));
        }
        session.put("audio", audio);
        List<Object> functions = new ArrayList<>(FunctionTool.of(tools, agent.tools()));
        for (String target : agent.handoffs()) {
            Optional<ScenarioAgent> to = scenario.agent(target);
            functions.add(handoffTool(target, to.map(ScenarioAgent::description).orElse("")));
        }
        session.put("tools", functions);
        return session;
    }

    /** The Agents SDK's name of the handoff tool to {@code agentName} ({@code transfer_to_} + non-alphanumerics as _). */
    public static String handoffToolName(String agentName) {
        return "transfer_to_" + agentName.replaceAll("[^a-zA-Z0-9]", "_");
    }

    private static Map<String, Object> handoffTool(String agentName, String description) {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("name", handoffToolName(agentName));
        tool.put("description", ("Handoff to the " + agentName + " agent to handle the request. "
                + (description == null ? "" : description)).strip());
        tool.put("parameters", Map.of("type", "object", "properties", Map.of(), "required", List.of(),
                "additionalProperties", false));
        return tool;
    }
}
