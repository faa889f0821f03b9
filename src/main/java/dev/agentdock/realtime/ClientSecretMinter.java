package dev.agentdock.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.OpenAiTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Mints Realtime ephemeral keys: {@code POST {base}/realtime/client_secrets} with the server key, answering only the
 * client secret. Every failure becomes an {@link DomainException.UpstreamFailed} whose detail never carries a key.
 */
@ApplicationScoped
public class ClientSecretMinter {

    private static final OpenAiFailures.Call CALL =
            new OpenAiFailures.Call("realtime client_secrets", "the session", false);

    private final ObjectMapper json;
    private final RealtimeConfig config;
    private final HttpClient http;

    ClientSecretMinter(ObjectMapper json, RealtimeConfig config) {
        this.json = json;
        this.config = config;
        // HTTP/1.1: no cleartext upgrade attempts against plain-http OpenAI-compatible servers
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
    }

    /** @param session the Realtime session configuration ({@code type}, {@code model}, instructions, tools...) */
    public EphemeralKey mint(OpenAiTarget target, Map<String, Object> session) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(target.baseUrl() + "/realtime/client_secrets"))
                    .timeout(config.requestTimeout())
                    .header("Authorization", "Bearer " + target.apiKey())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("session", session))))
                    .build();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new DomainException.UpstreamFailed(502, null, "the OpenAI request could not be built", e);
        }
        HttpResponse<String> response = send(request);
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw OpenAiFailures.status(CALL, status,
                    OpenAiFailures.message(json, response.body().getBytes(StandardCharsets.UTF_8), target.apiKey()),
                    OpenAiFailures.retryAfterSeconds(response.headers().firstValue("retry-after").orElse(null),
                            response.headers().firstValue("retry-after-ms").orElse(null)));
        }
        return parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.CONNECT_TIMEOUT, config.connectTimeout(), e);
        } catch (HttpTimeoutException e) {
            throw OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.TIMEOUT, config.requestTimeout(), e);
        } catch (ConnectException e) {
            throw OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.UNREACHABLE, null, e);
        } catch (IOException e) {
            throw OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.BROKEN, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.INTERRUPTED, null, e);
        }
    }

    private EphemeralKey parse(String body) {
        try {
            JsonNode node = json.readTree(body);
            // GA shape {value, expires_at, session}; the beta shape nested it under client_secret
            JsonNode secret = node.hasNonNull("value") ? node : node.path("client_secret");
            if (!secret.path("value").isTextual() || !secret.path("expires_at").canConvertToLong()) {
                throw new DomainException.UpstreamFailed(502, 200, "OpenAI answered without a client secret", null);
            }
            return new EphemeralKey(secret.get("value").asText(), secret.get("expires_at").asLong());
        } catch (JsonProcessingException e) {
            throw new DomainException.UpstreamFailed(502, 200, "OpenAI answered with something that is not JSON", null);
        }
    }
}
