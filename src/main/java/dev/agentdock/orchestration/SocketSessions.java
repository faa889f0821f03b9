package dev.agentdock.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** What both socket endpoints do: register, resume after a last event id, answer client frames, unregister. */
@ApplicationScoped
public class SocketSessions {

    private final SocketRegistry registry;
    private final SessionEventBus bus;
    private final ObjectMapper json;

    SocketSessions(SocketRegistry registry, SessionEventBus bus, ObjectMapper json) {
        this.registry = registry;
        this.bus = bus;
        this.json = json;
    }

    void open(WebSocketConnection connection) {
        if (refused(connection)) {
            return;
        }
        SocketClient client = clientOf(connection);
        if (!connection.isOpen()) {
            registry.remove(connection.id());
            return;
        }
        String lastEventId = lastEventId(connection);
        if (bus.degraded()) {
            client.sendUnnumbered(bus.encodeMessage(ServerMessage.Status.of(true,
                    "cross-instance delivery and replay are unavailable; events of this instance still arrive")));
        }
        if (lastEventId != null) {
            resume(client, lastEventId);
        }
    }

    void message(WebSocketConnection connection, String text) {
        if (refused(connection)) {
            return;
        }
        SocketClient client = clientOf(connection);
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (Exception e) {
            client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of("frame is not valid JSON")));
            return;
        }
        String type = frame == null ? "" : frame.path("type").asText("");
        switch (type) {
            case "resume" -> {
                String last = frame.path("last_event_id").asText(null);
                if (last == null || !StreamIds.isStreamId(last)) {
                    client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of(
                            "resume needs last_event_id, an event id this channel sent")));
                    return;
                }
                client.beginReplay();
                resume(client, last);
            }
            case "ping" -> client.sendUnnumbered(bus.encodeMessage(ServerMessage.Pong.now()));
            default -> client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of(
                    "unknown frame type '" + type + "'; send {\"type\":\"resume\",\"last_event_id\":…} or {\"type\":\"ping\"}")));
        }
    }

    void close(WebSocketConnection connection) {
        registry.remove(connection.id());
    }

    /** A socket the upgrade check refused is closed with its code and reason, and never registered. */
    private static boolean refused(WebSocketConnection connection) {
        Integer code = connection.userData().get(SocketUpgradeCheck.REFUSED_CODE);
        if (code == null) {
            return false;
        }
        if (!connection.isClosed()) {
            connection.close(new CloseReason(code, connection.userData().get(SocketUpgradeCheck.REFUSED_REASON)))
                    .subscribe().with(ok -> { }, failure -> { });
        }
        return true;
    }

    /**
     * The connection's client, registered by whichever of open or first message comes first. A client that
     * resumes from a last event id buffers live frames from the moment it exists until its replay is sent.
     */
    private SocketClient clientOf(WebSocketConnection connection) {
        return registry.obtain(connection.id(), () -> {
            SocketClient client = new SocketClient(connection, connection.userData().get(SocketUpgradeCheck.USER),
                    connection.pathParam("session_id"));
            if (lastEventId(connection) != null) {
                client.beginReplay();
            }
            return client;
        });
    }

    private static String lastEventId(WebSocketConnection connection) {
        return queryParam(connection.handshakeRequest().query(), "last_event_id");
    }

    private void resume(SocketClient client, String lastEventId) {
        if (!StreamIds.isStreamId(lastEventId)) {
            client.abandonReplay();
            client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of("last_event_id is not an event id of this channel")));
            return;
        }
        try {
            List<SocketClient.Pending> missed = bus.replay(client, lastEventId);
            client.finishReplay(missed);
        } catch (RuntimeException e) {
            Log.warnf("socket %s: replay unavailable: %s", client.connectionId(), e.getMessage());
            client.abandonReplay();
            client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of("replay unavailable; live events continue")));
        }
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
