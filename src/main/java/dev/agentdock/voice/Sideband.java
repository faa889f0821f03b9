package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.OpenAiTarget;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The service's socket on one Realtime call: OpenAI's server-side control ({@code /v1/realtime?call_id=…}) with the
 * server key. Incoming events are decoded and handed on in arrival order; sends are fire-and-forget text frames.
 */
final class Sideband {

    /** The call does not exist (any more) on OpenAI: the upgrade was refused with 404. */
    static final class CallGone extends RuntimeException {
        CallGone(String callId) {
            super("call " + callId + " is gone");
        }
    }

    private final WebSocket socket;
    private final ObjectMapper json;

    private Sideband(WebSocket socket, ObjectMapper json) {
        this.socket = socket;
        this.json = json;
    }

    static Future<Sideband> connect(WebSocketClient client, ObjectMapper json, OpenAiTarget target, String callId,
                                    Duration timeout, Consumer<JsonNode> onEvent, Runnable onClose) {
        String base = target.baseUrl().replaceFirst("^http", "ws");
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setAbsoluteURI(base + "/realtime?call_id=" + callId)
                .setTimeout(timeout.toMillis())
                .addHeader("Authorization", "Bearer " + target.apiKey());
        return client.connect(options).recover(failure -> Future.failedFuture(
                failure instanceof UpgradeRejectedException rejected && rejected.getStatus() == 404
                        ? new CallGone(callId) : failure)).map(ws -> {
            Sideband sideband = new Sideband(ws, json);
            ws.textMessageHandler(text -> {
                try {
                    onEvent.accept(json.readTree(text));
                } catch (Exception e) {
                    Log.warnf("call %s: an event that is not JSON was dropped (%s)", callId, e.getMessage());
                }
            });
            ws.closeHandler(v -> onClose.run());
            return sideband;
        });
    }

    void send(Object event) {
        try {
            socket.writeTextMessage(json.writeValueAsString(event));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode a client event", e);
        }
    }

    void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
    }
}
