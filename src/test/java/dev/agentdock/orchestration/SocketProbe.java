package dev.agentdock.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real websockets-next client that keeps every frame it receives, decoded, in arrival order. */
final class SocketProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> frames;
    final WebSocketClientConnection connection;

    private SocketProbe(WebSocketClientConnection connection, List<JsonNode> frames) {
        this.connection = connection;
        this.frames = frames;
    }

    static SocketProbe open(URI base, String path, String user) {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        // non-blocking: callbacks run on the connection's event loop, one at a time, in arrival order
        WebSocketClientConnection c = BasicWebSocketConnector.create().baseUri(base).path(path)
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .addHeader("X-User-Id", user)
                .onTextMessage((conn, text) -> received.add(decode(text)))
                .connectAndAwait();
        awaitRegistered(c, received);
        return new SocketProbe(c, received);
    }

    /**
     * The client's handshake completes before the server's {@code @OnOpen} has registered the socket; an event
     * published in between would not reach it. A pong proves the server has registered this socket (it answers
     * only registered ones); that pong is dropped so tests see only what they caused.
     */
    private static void awaitRegistered(WebSocketClientConnection c, List<JsonNode> received) {
        c.sendTextAndAwait("{\"type\":\"ping\"}");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (received.stream().noneMatch(SocketProbe::isPong)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("socket was not registered within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        received.stream().filter(SocketProbe::isPong).findFirst().ifPresent(received::remove);
    }

    private static boolean isPong(JsonNode frame) {
        return frame.path("type").asText().equals("pong");
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    List<String> types() {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    List<String> ids() {
        return frames.stream().filter(f -> f.has("id")).map(f -> f.path("id").asText()).toList();
    }

    void send(String text) {
        connection.sendTextAndAwait(text);
    }

    @Override
    public void close() {
        if (connection.isOpen()) {
            connection.closeAndAwait();
        }
    }

    private static JsonNode decode(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("frame is not JSON: " + text, e);
        }
    }
}
