package dev.agentdock.run.model;

import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.run.RunConfig;
import dev.langchain4j.model.openai.internal.OpenAiClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One streaming chat model per OpenAI target, built on LangChain4j's OpenAI client (Quarkus REST under it). */
@ApplicationScoped
public class ChatModels {

    private final OpenAiEndpoints endpoints;
    private final RunConfig config;
    private final ConcurrentMap<OpenAiTarget, CancellableOpenAiStreamingModel> models = new ConcurrentHashMap<>();

    ChatModels(OpenAiEndpoints endpoints, RunConfig config) {
        this.endpoints = endpoints;
        this.config = config;
    }

    public CancellableOpenAiStreamingModel streaming() {
        return models.computeIfAbsent(endpoints.resolve(), target -> new CancellableOpenAiStreamingModel(
                OpenAiClient.builder()
                        .baseUrl(target.baseUrl())
                        .apiKey(target.apiKey())
                        .connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(config.modelTimeout())
                        .logRequests(false)
                        .logResponses(false)
                        .build()));
    }

    /** "openai" for OpenAI itself, "simulator" or the host for anything else; stored with each step. */
    public String providerName() {
        OpenAiTarget target = endpoints.resolve();
        return target.simulated() ? "simulator" : target.baseUrl().contains("api.openai.com") ? "openai" : "openai-compatible";
    }
}
