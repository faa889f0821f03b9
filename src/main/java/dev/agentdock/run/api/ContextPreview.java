package dev.agentdock.run.api;

import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.run.loop.StepContextBuilder;
import dev.agentdock.session.AgentSession;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The exact message list the next model call of a session would receive, in Chat Completions shape. */
@ApplicationScoped
public class ContextPreview {

    private final StepContextBuilder contexts;
    private final SessionAgents agents;

    ContextPreview(StepContextBuilder contexts, SessionAgents agents) {
        this.contexts = contexts;
        this.agents = agents;
    }

    public SessionResource.ContextView of(AgentSession session) {
        AgentSpec agent = agents.forSession(session);
        List<Map<String, Object>> messages = contexts.build(session.id, agent).stream().map(ContextPreview::wire).toList();
        return new SessionResource.ContextView(session.id, agent.name(), messages);
    }

    static Map<String, Object> wire(ChatMessage message) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (message) {
            case SystemMessage s -> {
                m.put("role", "system");
                m.put("content", s.text());
            }
            case UserMessage u -> {
                m.put("role", "user");
                m.put("content", u.singleText());
            }
            case AiMessage a -> {
                m.put("role", "assistant");
                m.put("content", a.text());
                if (a.hasToolExecutionRequests()) {
                    m.put("tool_calls", a.toolExecutionRequests().stream().map(ContextPreview::call).toList());
                }
            }
            case ToolExecutionResultMessage t -> {
                m.put("role", "tool");
                m.put("tool_call_id", t.id());
                m.put("content", t.text());
            }
            default -> m.put("role", message.type().name().toLowerCase());
        }
        return m;
    }

    private static Map<String, Object> call(ToolExecutionRequest r) {
        return Map.of("id", r.id(), "type", "function", "function", Map.of("name", r.name(), "arguments", r.arguments()));
    }
}
