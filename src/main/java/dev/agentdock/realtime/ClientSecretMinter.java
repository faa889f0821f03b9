package dev.agentdock.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.OpenAiTarget;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Mints Realtime ephemeral keys: {@code POST {base}/realtime/client_secrets} with the server key, answering only the
 * client secret. Every failure becomes an {@link DomainException.UpstreamFailed} whose detail never carries a key.
 */
@ApplicationScoped
public class ClientSecretMinter {

    private static final Pattern KEY_LIKE = Pattern.compile("(sk|ek)-[A-Za-z0-9_*\\-]{4,}");

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
            Log.warnf("realtime client_secrets failed: upstream status %d", status);
            throw failure(status, upstreamMessage(response.body(), target.apiKey()));
        }
        return parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(503, "OpenAI did not accept a connection within " + config.connectTimeout().toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw unreachable(504, "OpenAI did not answer within " + config.requestTimeout().toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw unreachable(503, "OpenAI is unreachable", e);
        } catch (IOException e) {
            throw unreachable(502, "the connection to OpenAI failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(503, "the OpenAI call was interrupted", e);
        }
    }

    private static DomainException.UpstreamFailed unreachable(int status, String detail, Exception cause) {
        Log.warnf("realtime client_secrets failed: %s (%s)", detail, cause.getClass().getSimpleName());
        return new DomainException.UpstreamFailed(status, null, detail, cause);
    }

    private static DomainException.UpstreamFailed failure(int status, String message) {
        String suffix = message == null ? "" : ": " + message;
        return switch (status) {
            case 401, 403 -> new DomainException.UpstreamFailed(502, status, "OpenAI refused the server's credentials", null);
            case 429 -> new DomainException.UpstreamFailed(429, status, "OpenAI is rate limiting this service; try again shortly", null);
            default -> status >= 500
                    ? new DomainException.UpstreamFailed(502, status, "OpenAI failed to create the session (" + status + ")", null)
                    : new DomainException.UpstreamFailed(502, status, "OpenAI rejected the session configuration (" + status + ")" + suffix, null);
        };
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

    /** The upstream error message, minus anything that looks like a key (OpenAI quotes part of a bad key back). */
    private String upstreamMessage(String body, String serverKey) {
        try {
            String message = json.readTree(body).path("error").path("message").asText(null);
            if (message == null || message.isBlank()) {
                return null;
            }
            String safe = KEY_LIKE.matcher(message.replace(serverKey, "***")).replaceAll("***");
            return safe.length() > 300 ? safe.substring(0, 300) + "…" : safe;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
