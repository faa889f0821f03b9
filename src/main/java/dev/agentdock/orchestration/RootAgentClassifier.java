package dev.agentdock.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.ModelHttp;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The model's opinion of which agent should lead: a LangChain4j chat call with structured JSON output whose
 * {@code root_agent} is an enum of the scenario's agents. Empty when the model fails, times out or answers
 * something unusable — the caller then falls back to keyword routing.
 */
@ApplicationScoped
public class RootAgentClassifier {

    private static final String INSTRUCTIONS = """
            You route a customer conversation to the agent best suited to handle it next.
            Agents (name: what it handles):
            %s
            The current agent is %s. Keep it unless another agent clearly fits the user's last message better.
            Answer with the agent's name, your confidence between 0 and 1, and a one-sentence reason.""";

    /** One classification per orchestrate call that has no rule match: a small pool. */
    private static final int CONNECTIONS = 16;

    private final OpenAiEndpoints endpoints;
    private final ModelHttp http;
    private final ObjectMapper json;
    private final String model;
    private final Duration timeout;
    private final ConcurrentMap<OpenAiTarget, ChatModel> models = new ConcurrentHashMap<>();

    RootAgentClassifier(OpenAiEndpoints endpoints, ModelHttp http, ObjectMapper json, OrchestrationConfig config) {
        this.endpoints = endpoints;
        this.http = http;
        this.json = json;
        this.model = config.classifierModel();
        this.timeout = config.classifierTimeout();
    }

    public Optional<OrchestrationDecision> classify(Scenario scenario, String current, String lastUser, String lastAgent) {
        StringBuilder roster = new StringBuilder();
        for (ScenarioAgent a : scenario.agents()) {
            roster.append("- ").append(a.name()).append(": ").append(a.description()).append('\n');
        }
        JsonObjectSchema answer = JsonObjectSchema.builder()
                .addEnumProperty("root_agent", scenario.agentNames(), "the agent that should lead next")
                .addProperty("confidence", JsonNumberSchema.builder().description("0 to 1").build())
                .addStringProperty("reason", "one sentence")
                .required("root_agent", "confidence", "reason")
                .additionalProperties(false)
                .build();
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(INSTRUCTIONS.formatted(roster, current == null ? "none" : current)),
                        UserMessage.from("Last user message: " + lastUser
                                + (lastAgent == null ? "" : "\nLast agent message: " + lastAgent)))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name("routing").rootElement(answer).build()).build())
                .build();
        try {
            String text = modelFor(endpoints.resolve()).chat(request).aiMessage().text();
            JsonNode node = json.readTree(text);
            String agent = node.path("root_agent").asText(null);
            if (agent == null || scenario.agent(agent).isEmpty()) {
                Log.infof("classifier named '%s', which scenario %s does not have; falling back", agent, scenario.id());
                return Optional.empty();
            }
            double confidence = Math.max(0, Math.min(1, node.path("confidence").asDouble(0.5)));
            return Optional.of(new OrchestrationDecision(agent, confidence, node.path("reason").asText(""),
                    !agent.equals(current), OrchestrationDecision.BY_MODEL));
        } catch (Exception e) {
            Log.infof("classifier unavailable (%s); falling back", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private ChatModel modelFor(OpenAiTarget target) {
        return models.computeIfAbsent(target, t -> OpenAiChatModel.builder().httpClientBuilder(http.pool(CONNECTIONS))
                .baseUrl(t.baseUrl()).apiKey(t.apiKey())
                .modelName(model).timeout(timeout).maxRetries(0).strictJsonSchema(true).build());
    }
}
