package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

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

    @Inject
    RealtimeCalls calls;

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
        ObjectNode session = RealtimeSessions.defaults(http.mapper(), type);
        if (requested.isObject()) {
            RealtimeSessions.merge(session, requested);
        }
        ObjectNode response = http.newObject();
        String key = ReplyScript.randomId("ek_sim_");
        calls.rememberKey(key, session, expiresAt);
        response.put("value", key);
        response.put("expires_at", expiresAt);
        response.set("session", session);
        http.json(ctx, 200, response);
    }
}
