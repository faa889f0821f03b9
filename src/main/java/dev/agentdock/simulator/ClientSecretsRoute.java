package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code POST /v1/realtime/client_secrets} (Realtime GA): mints an ephemeral key {@code ek_sim_...} and echoes the
 * session config completed with the defaults OpenAI fills in. Failures only via {@code x-sim-mode}, since there is no
 * user text to carry markers.
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class ClientSecretsRoute {

    static final int DEFAULT_TTL_SECONDS = 600;

    @Inject
    SimulatorHttp http;

    void init(@Observes Router router) {
        http.post(router, "/v1/realtime/client_secrets", true, this::handle);
    }

    private void handle(RoutingContext ctx, JsonNode body) {
        Markers markers = Markers.parse("", ctx.request().getHeader(ReplyScript.MODE_HEADER));
        if (http.failedEarly(ctx, markers.failure(), "client_secrets\u0000" + body)) {
            return;
        }
        JsonNode expiresAfter = body.path("expires_after");
        int ttl = expiresAfter.path("seconds").asInt(DEFAULT_TTL_SECONDS);
        if (ttl < 10 || ttl > 7200) {
            http.error(ctx, 400, "invalid_request_error", "invalid_value",
                    "Invalid 'expires_after.seconds': must be between 10 and 7200.");
            return;
        }
        if (!expiresAfter.path("anchor").asText("created_at").equals("created_at")) {
            http.error(ctx, 400, "invalid_request_error", "invalid_value",
                    "Invalid 'expires_after.anchor': only 'created_at' is supported.");
            return;
        }
        JsonNode requested = body.path("session");
        String type = requested.path("type").asText("realtime");
        if (!type.equals("realtime") && !type.equals("transcription")) {
            http.error(ctx, 400, "invalid_request_error", "invalid_value",
                    "Invalid 'session.type': expected 'realtime' or 'transcription'.");
            return;
        }
        long expiresAt = System.currentTimeMillis() / 1000 + ttl;
        ObjectNode session = defaults(type);
        if (requested.isObject()) {
            merge(session, requested);
        }
        ObjectNode response = http.newObject();
        response.put("value", ReplyScript.randomId("ek_sim_"));
        response.put("expires_at", expiresAt);
        response.set("session", session);
        http.json(ctx, 200, response);
    }

    private ObjectNode defaults(String type) {
        ObjectNode s = http.newObject();
        s.put("type", type);
        s.put("object", type.equals("realtime") ? "realtime.session" : "realtime.transcription_session");
        s.put("id", ReplyScript.randomId("sess_"));
        if (type.equals("realtime")) {
            s.put("model", "gpt-realtime");
            s.putArray("output_modalities").add("audio");
            s.put("instructions", "");
            s.putArray("tools");
            s.put("tool_choice", "auto");
            s.put("max_output_tokens", "inf");
            s.putNull("tracing");
            s.put("truncation", "auto");
            s.putNull("prompt");
        }
        s.put("expires_at", 0);
        ObjectNode audio = s.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        input.putNull("transcription");
        input.putNull("noise_reduction");
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 200);
        if (type.equals("realtime")) {
            ObjectNode output = audio.putObject("output");
            output.putObject("format").put("type", "audio/pcm").put("rate", 24000);
            output.put("voice", "alloy");
            output.put("speed", 1.0);
        }
        s.putNull("include");
        return s;
    }

    /** Deep merge: objects are merged key by key, anything else from the request replaces the default. */
    private static void merge(ObjectNode target, JsonNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("id") || field.getKey().equals("object")) {
                continue;
            }
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode obj && field.getValue().isObject()) {
                merge(obj, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
