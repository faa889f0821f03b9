package dev.agentdock.orchestration;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code /ws/me}: the events of all of the caller's sessions (every tab and device of the user). */
@WebSocket(path = "/ws/me")
public class UserSocket {

    private final SocketSessions sessions;

    UserSocket(SocketSessions sessions) {
        this.sessions = sessions;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        sessions.open(connection);
    }

    @OnTextMessage
    void message(WebSocketConnection connection, String text) {
        sessions.message(connection, text);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        sessions.close(connection);
    }

    @OnError
    void error(WebSocketConnection connection, Throwable failure) {
        sessions.failure(connection, failure);
    }
}
