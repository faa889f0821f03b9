package dev.agentdock.voice;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.OpenAiTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Creates a WebRTC call on OpenAI for a browser's SDP offer with the server's key and the session config
 * ({@code POST /v1/realtime/calls}, multipart {@code sdp} + {@code session}), so the browser never holds a key.
 */
@ApplicationScoped
public class CallCreator {

    /** The created call: its id (last segment of {@code Location}) and OpenAI's SDP answer. */
    public record Created(String callId, String answer) {
    }

    private final ObjectMapper json;
    private final VoiceConfig config;
    private final HttpClient http;

    CallCreator(ObjectMapper json, VoiceConfig config) {
        this.json = json;
        this.config = config;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
    }

    public Created create(OpenAiTarget target, String offer, Map<String, Object> session) {
        String boundary = "agentdock-" + UUID.randomUUID();
        String body;
        try {
            body = part(boundary, "sdp", offer) + part(boundary, "session", json.writeValueAsString(session))
                    + "--" + boundary + "--\r\n";
        } catch (IOException e) {
            throw new DomainException.UpstreamFailed(502, null, "the call request could not be built", e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.baseUrl() + "/realtime/calls"))
                .timeout(config.connectTimeout().multipliedBy(3))
                .header("Authorization", "Bearer " + target.apiKey())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DomainException.UpstreamFailed(503, null, "OpenAI could not be reached to create the call", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException.UpstreamFailed(503, null, "creating the call was interrupted", e);
        }
        int status = response.statusCode();
        if (status == 400) {
            throw new DomainException.Invalid("sdp", "OpenAI refused the offer: " + message(response.body()));
        }
        if (status / 100 != 2) {
            throw new DomainException.UpstreamFailed(502, status, "OpenAI did not create the call: "
                    + message(response.body()), null);
        }
        String location = response.headers().firstValue("Location").orElse("");
        String callId = location.substring(location.lastIndexOf('/') + 1);
        if (callId.isBlank()) {
            throw new DomainException.UpstreamFailed(502, status, "OpenAI created a call without a Location", null);
        }
        return new Created(callId, response.body());
    }

    private String message(String body) {
        try {
            return json.readTree(body).path("error").path("message").asText("no message");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return body == null || body.isBlank() ? "no message" : body.substring(0, Math.min(200, body.length()));
        } catch (IOException e) {
            return "no message";
        }
    }

    /** A plain form field, as {@code curl -F name=value} sends it. */
    private static String part(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
}
