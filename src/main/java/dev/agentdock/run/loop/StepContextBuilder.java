package dev.agentdock.run.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.run.RunConfig;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The model's context = the agent's system prompt + the session's stored steps, each step exactly one LangChain4j
 * message. Only the newest {@code max_history_messages} steps are read, and the window starts at a user step, so
 * whole turns are dropped and a tool call is never separated from its result.
 */
@ApplicationScoped
public class StepContextBuilder {

    private final ConversationStore store;
    private final RunConfig config;
    private final ObjectMapper json;

    StepContextBuilder(ConversationStore store, RunConfig config, ObjectMapper json) {
        this.store = store;
        this.config = config;
        this.json = json;
    }

    public List<ChatMessage> build(UUID sessionId, AgentSpec agent) {
        return toMessages(agent.instructions(), window(store.contextTail(sessionId, config.maxHistoryMessages())));
    }

    /** Drops the partial turn at the front of a tail read, so the window starts with a user step. */
    static List<Step> window(List<Step> tail) {
        for (int i = 0; i < tail.size(); i++) {
            if (tail.get(i).role == StepRole.USER) {
                return tail.subList(i, tail.size());
            }
        }
        return tail;
    }

    public List<ChatMessage> toMessages(String instructions, List<Step> steps) {
        List<ChatMessage> messages = new ArrayList<>(steps.size() + 1);
        if (instructions != null && !instructions.isBlank()) {
            messages.add(SystemMessage.from(instructions));
        }
        Set<String> answered = new HashSet<>();
        for (Step s : steps) {
            if (s.role == StepRole.TOOL && s.toolCallId != null) {
                answered.add(s.toolCallId);
            }
        }
        for (Step s : steps) {
            ChatMessage m = toMessage(s, answered);
            if (m != null) {
                messages.add(m);
            }
        }
        return messages;
    }

    private ChatMessage toMessage(Step s, Set<String> answered) {
        return switch (s.role) {
            case SYSTEM -> SystemMessage.from(nonNull(s.content));
            case USER -> UserMessage.from(nonNull(s.content));
            case TOOL -> ToolExecutionResultMessage.from(s.toolCallId, s.toolName, nonNull(s.content));
            case ASSISTANT -> assistant(s, answered);
        };
    }

    private ChatMessage assistant(Step s, Set<String> answered) {
        // A call without a stored result (a run stopped mid-step) is left out: the API refuses unanswered calls.
        List<ToolExecutionRequest> calls = toolCalls(s.toolCalls).stream()
                .filter(c -> answered.contains(c.id())).toList();
        String text = s.content == null || s.content.isEmpty() ? null : s.content;
        if (calls.isEmpty()) {
            return text == null ? null : AiMessage.from(text);
        }
        return AiMessage.builder().text(text).toolExecutionRequests(calls).build();
    }

    public List<ToolExecutionRequest> toolCalls(String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        try {
            List<ToolExecutionRequest> calls = new ArrayList<>();
            for (JsonNode c : json.readTree(stored)) {
                JsonNode fn = c.path("function");
                calls.add(ToolExecutionRequest.builder().id(c.path("id").asText())
                        .name(fn.path("name").asText()).arguments(fn.path("arguments").asText("{}")).build());
            }
            return calls;
        } catch (Exception e) {
            throw new IllegalStateException("stored tool_calls are not valid JSON", e);
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
