package dev.agentdock.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Resolves where the service's OpenAI clients talk: OpenAI (or OPENAI_BASE_URL) with the server key when one is
 * set, otherwise the in-app simulator when the build includes it. Without either, OpenAI features answer 503.
 */
@ApplicationScoped
public class OpenAiEndpoints {

    static final String SIMULATOR_KEY = "sk-simulator";

    private final Optional<String> apiKey;
    private final String baseUrl;
    private final Instance<LocalOpenAiEndpoint> local;

    OpenAiEndpoints(@ConfigProperty(name = "agentdock.openai.api-key") Optional<String> apiKey,
                    @ConfigProperty(name = "agentdock.openai.base-url", defaultValue = "https://api.openai.com/v1") String baseUrl,
                    Instance<LocalOpenAiEndpoint> local) {
        this.apiKey = apiKey.filter(k -> !k.isBlank());
        this.apiKey.ifPresent(Secrets::register);
        this.baseUrl = stripSlash(baseUrl);
        this.local = local;
    }

    public OpenAiTarget resolve() {
        return resolve(apiKey, baseUrl, local.isResolvable() ? Optional.of(local.get()) : Optional.empty());
    }

    /** The rule itself: a configured key wins; else the in-app simulator; else OpenAI features are unavailable. */
    static OpenAiTarget resolve(Optional<String> apiKey, String baseUrl, Optional<LocalOpenAiEndpoint> local) {
        Optional<String> key = apiKey.filter(k -> !k.isBlank());
        if (key.isPresent()) {
            return new OpenAiTarget(stripSlash(baseUrl), key.get(), false);
        }
        if (local.isPresent()) {
            return new OpenAiTarget(stripSlash(local.get().baseUrl()), SIMULATOR_KEY, true);
        }
        throw new DomainException.Unavailable("OPENAI_API_KEY is not configured");
    }

    /** The server's key, so callers can make sure it never leaks (log scrubbing, tests). */
    public Optional<String> serverKey() {
        return apiKey;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
