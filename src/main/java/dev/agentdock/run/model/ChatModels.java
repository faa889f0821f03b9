package dev.agentdock.run.model;

import dev.agentdock.common.ModelHttp;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.run.RunConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One streaming chat model per OpenAI target, each with its own pool of keep-alive connections. */
@ApplicationScoped
public class ChatModels {

    private final OpenAiEndpoints endpoints;
    private final RunConfig config;
    private final ModelHttp http;
    private final ConcurrentMap<OpenAiTarget, CancellableOpenAiStreamingModel> models = new ConcurrentHashMap<>();

    ChatModels(OpenAiEndpoints endpoints, RunConfig config, ModelHttp http) {
        this.endpoints = endpoints;
        this.config = config;
        this.http = http;
    }

    public CancellableOpenAiStreamingModel streaming() {
        return models.computeIfAbsent(endpoints.resolve(), target -> new CancellableOpenAiStreamingModel(
                http.pool(config.upstreamConnections()), target, config.modelTimeout()));
    }

    /** "openai" for OpenAI itself, "simulator" or the host for anything else; stored with each step. */
    public String providerName() {
        OpenAiTarget target = endpoints.resolve();
        return target.simulated() ? "simulator" : target.baseUrl().contains("api.openai.com") ? "openai" : "openai-compatible";
    }
}
