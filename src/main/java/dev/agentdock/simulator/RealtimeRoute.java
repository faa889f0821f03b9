package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;

/**
 * The Realtime GA call surface of the simulator:
 * <ul>
 * <li>{@code POST /v1/realtime/calls}: a WebRTC call from an SDP offer ({@code application/sdp} with an ephemeral
 * key, or {@code multipart/form-data} {@code sdp} + {@code session} with the server key) → 201, an SDP answer and
 * {@code Location: /v1/realtime/calls/{call_id}};</li>
 * <li>WebSocket {@code /v1/realtime?model=}: a call whose media is the socket itself (what the Agents SDK's WebSocket
 * transport opens); its call id comes back in the {@code x-sim-call-id} upgrade header, since OpenAI gives such
 * sockets none (ADR 8);</li>
 * <li>WebSocket {@code /v1/realtime?call_id=}: a sideband on an existing call (a server key, never an {@code ek_});</li>
 * <li>{@code POST /v1/realtime/calls/{id}/hangup}, and the test hook {@code POST /v1/realtime/calls/{id}/simulate}
 * {@code {"utterance": "..."}} (the user speaks).</li>
 * </ul>
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class RealtimeRoute {

    static final String CALL_ID_HEADER = "x-sim-call-id";
    private static final String INSECURE_KEY_PROTOCOL = "openai-insecure-api-key.";

    private final SimulatorHttp http;
    private final RealtimeCalls calls;
    private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(1024 * 1024);

    RealtimeRoute(SimulatorHttp http, RealtimeCalls calls) {
        this.http = http;
        this.calls = calls;
    }

    void init(@Observes Router router) {
        router.post("/v1/realtime/calls").handler(bodyHandler).handler(this::createCall);
        router.post("/v1/realtime/calls/:call_id/hangup").handler(ctx -> withCall(ctx, call -> {
            call.end();
            ctx.response().setStatusCode(200).end();
        }));
        http.post(router, "/v1/realtime/calls/:call_id/simulate", false, (ctx, body) -> withCall(ctx, call -> {
            if (!body.path("utterance").isTextual() || body.get("utterance").asText().isBlank()) {
                http.error(ctx, 400, "invalid_request_error", "missing_required_parameter",
                        "Missing required parameter: 'utterance'.");
                return;
            }
            call.speak(body.get("utterance").asText());
            http.json(ctx, 200, http.newObject().put("call_id", call.id()).put("spoken", true));
        }));
        router.get("/v1/realtime").handler(this::socket);
    }

    private void createCall(RoutingContext ctx) {
        String key = bearer(ctx);
        if (key == null) {
            http.error(ctx, 401, "invalid_request_error", null, "You didn't provide an API key.");
            return;
        }
        String contentType = Optional.ofNullable(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).orElse("");
        String offer;
        ObjectNode requested = null;
        if (contentType.startsWith("application/sdp")) {
            offer = ctx.body().asString();
        } else if (contentType.startsWith("multipart/form-data")) {
            offer = ctx.request().getFormAttribute("sdp");
            String session = ctx.request().getFormAttribute("session");
            if (session != null) {
                try {
                    JsonNode parsed = http.mapper().readTree(session);
                    if (!parsed.isObject()) {
                        throw new IOException("not an object");
                    }
                    requested = (ObjectNode) parsed;
                } catch (IOException e) {
                    http.error(ctx, 400, "invalid_request_error", "invalid_value",
                            "Invalid 'session': expected a JSON object.");
                    return;
                }
            }
        } else {
            http.error(ctx, 400, "invalid_request_error", "unsupported_content_type",
                    "Expected 'application/sdp' or 'multipart/form-data'.");
            return;
        }
        Optional<String> answer = SdpAnswer.answer(offer);
        if (answer.isEmpty()) {
            http.error(ctx, 400, "invalid_request_error", "invalid_offer",
                    "The SDP offer could not be parsed: expected 'v=0' and at least one 'm=' line.");
            return;
        }
        String refused = calls.refusal(key);
        if (refused != null) {
            http.error(ctx, 401, "invalid_request_error", "invalid_api_key", refused);
            return;
        }
        RealtimeCall call = calls.open(key, requested);
        ctx.response().setStatusCode(201)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/sdp")
                .putHeader(HttpHeaders.LOCATION, "/v1/realtime/calls/" + call.id())
                .end(answer.get());
    }

    private void socket(RoutingContext ctx) {
        String key = bearer(ctx);
        if (key == null) {
            key = insecureKeyProtocol(ctx);
        }
        if (key == null) {
            http.error(ctx, 401, "invalid_request_error", null, "You didn't provide an API key.");
            return;
        }
        String callId = ctx.request().getParam("call_id");
        RealtimeCall call;
        boolean owner;
        if (callId != null) {
            if (key.startsWith("ek_")) {
                http.error(ctx, 403, "invalid_request_error", "forbidden",
                        "A call's server-side control needs a standard API key, not an ephemeral one.");
                return;
            }
            Optional<RealtimeCall> found = calls.find(callId).filter(c -> !c.ended());
            if (found.isEmpty()) {
                http.error(ctx, 404, "invalid_request_error", "call_not_found", "Call '" + callId + "' was not found.");
                return;
            }
            call = found.get();
            owner = false;
        } else if (ctx.request().getParam("model") != null) {
            String refused = calls.refusal(key);
            if (refused != null) {
                http.error(ctx, 401, "invalid_request_error", "invalid_api_key", refused);
                return;
            }
            ObjectNode requested = http.newObject().put("model", ctx.request().getParam("model"));
            call = calls.open(key, requested);
            owner = true;
        } else {
            http.error(ctx, 400, "invalid_request_error", "missing_required_parameter",
                    "Missing required parameter: 'model' or 'call_id'.");
            return;
        }
        ctx.response().putHeader(CALL_ID_HEADER, call.id());
        ctx.request().toWebSocket().onSuccess(ws -> attach(ws, call, owner))
                .onFailure(e -> call.end());
    }

    private static void attach(ServerWebSocket ws, RealtimeCall call, boolean owner) {
        RealtimeCall.Peer peer = new RealtimeCall.Peer() {
            @Override
            public void send(String json) {
                if (!ws.isClosed()) {
                    ws.writeTextMessage(json);
                }
            }

            @Override
            public void close() {
                if (!ws.isClosed()) {
                    ws.close((short) 1000, "call ended");
                }
            }
        };
        ws.textMessageHandler(text -> call.receive(peer, text));
        ws.closeHandler(v -> {
            call.leave(peer);
            if (owner) {
                // the browser's socket is the call's media: without it the call is over
                call.end();
            }
        });
        call.join(peer);
    }

    private void withCall(RoutingContext ctx, java.util.function.Consumer<RealtimeCall> action) {
        if (bearer(ctx) == null) {
            http.error(ctx, 401, "invalid_request_error", null, "You didn't provide an API key.");
            return;
        }
        String callId = ctx.pathParam("call_id");
        Optional<RealtimeCall> call = calls.find(callId).filter(c -> !c.ended());
        if (call.isEmpty()) {
            http.error(ctx, 404, "invalid_request_error", "call_not_found", "Call '" + callId + "' was not found.");
            return;
        }
        action.accept(call.get());
    }

    private static String bearer(RoutingContext ctx) {
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            return null;
        }
        return auth.substring(7).strip();
    }

    /** Browsers cannot set headers on a WebSocket: the key travels as a subprotocol. */
    private static String insecureKeyProtocol(RoutingContext ctx) {
        String protocols = ctx.request().getHeader("Sec-WebSocket-Protocol");
        if (protocols == null) {
            return null;
        }
        for (String protocol : protocols.split(",")) {
            String p = protocol.strip();
            if (p.startsWith(INSECURE_KEY_PROTOCOL) && p.length() > INSECURE_KEY_PROTOCOL.length()) {
                return p.substring(INSECURE_KEY_PROTOCOL.length());
            }
        }
        return null;
    }
}
