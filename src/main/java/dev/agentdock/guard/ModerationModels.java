package dev.agentdock.guard;

import dev.agentdock.common.Secrets;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.ModelHttp;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.langchain4j.model.moderation.Moderation;
import dev.langchain4j.model.openai.OpenAiModerationModel;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The OpenAI moderation model through LangChain4j (on {@link ModelHttp}), one per OpenAI target. A call that
 * fails or outlives {@code agentdock.guard.model.timeout} is "no verdict", never an error: local rules go on.
 */
@ApplicationScoped
public class ModerationModels {

    /** A guardrail check per guarded turn: a small pool. */
    private static final int CONNECTIONS = 16;

    private final OpenAiEndpoints endpoints;
    private final ModelHttp http;
    private final GuardConfig config;
    private final ConcurrentMap<OpenAiTarget, OpenAiModerationModel> models = new ConcurrentHashMap<>();

    ModerationModels(OpenAiEndpoints endpoints, ModelHttp http, GuardConfig config) {
        this.endpoints = endpoints;
        this.http = http;
        this.config = config;
    }

    /** Whether the model flags the text; empty when it is disabled or did not answer in time. Blocking. */
    public Optional<Boolean> flagged(String text) {
        if (!config.model().enabled()) {
            return Optional.empty();
        }
        try {
            Moderation moderation = model().moderate(text).content();
            return Optional.of(moderation.flagged());
        } catch (DomainException.Unavailable e) {
            Log.warnf("moderation model unavailable: %s", Secrets.scrub(e.getMessage()));
            return Optional.empty();
        } catch (RuntimeException e) {
            // the text may be sensitive: only what went wrong is logged
            Log.warnf("moderation model call failed, local rules decide alone: %s", Secrets.scrub(e.toString()));
            return Optional.empty();
        }
    }

    private OpenAiModerationModel model() {
        return models.computeIfAbsent(endpoints.resolve(), target -> OpenAiModerationModel.builder()
                .httpClientBuilder(http.pool(CONNECTIONS))
                .baseUrl(target.baseUrl())
                .apiKey(target.apiKey())
                .modelName(config.model().name())
                .timeout(config.model().timeout())
                // a guardrail waits on this call; a failure falls back to local rules instead of retrying
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build());
    }
}
