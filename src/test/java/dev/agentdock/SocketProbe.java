package dev.agentdock;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for the orchestration channel that keeps every frame it receives, decoded, in arrival
 * order. It is the JDK's client, so the same tests run in-process, against the packaged jar and against a
 * cluster of instances; the caller is named as {@link TestIdentity} says.
 */
public final class SocketProbe implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    /** Pongs still due for the extra pings {@link #open} sent: not the test's. */
    private final java.util.concurrent.atomic.AtomicInteger latePongs = new java.util.concurrent.atomic.AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    /** The server's close frame, once it sent one: {@code "<code> <reason>"}. */
    public volatile String closedWith;
    private WebSocket socket;

    private SocketProbe() {
    }

    /**
     * Connects to {@code path} of the app at {@code base} (its http URI) as {@code user}, and returns once the
     * server has registered the socket: the handshake completes before the server's {@code @OnOpen} has run, so
     * an event published in between would not reach it. A pong proves registration; it is then dropped so tests
     * see only what they caused. A refused socket (closed by the server with a 44xx code before any frame) throws
     * with the code and reason in its message, as does a refused handshake with its HTTP status.
     */
    public static SocketProbe open(URI base, String path, String user) {
        return TestIdentity.usesJwt() ? open(base, path, java.util.Map.of("Authorization", TestIdentity.bearer(user)))
                : open(base, path, java.util.Map.of(TestIdentity.USER_HEADER, user));
    }

    /** As {@link #open(URI, String, String)}, presenting exactly these handshake headers. */
    public static SocketProbe open(URI base, String path, java.util.Map<String, String> headers) {
        SocketProbe probe = new SocketProbe();
        URI target = URI.create(base.toString().replaceFirst("^http", "ws").replaceFirst("/$", "") + path);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        try {
            probe.socket = builder.buildAsync(target, probe).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new IllegalStateException("handshake refused: HTTP " + refused.getResponse().statusCode());
            }
            throw new IllegalStateException("cannot connect to " + target, e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to " + target, e);
        }
        // a ping every 2 s until one is answered: on a starved machine a first frame has been seen to go unanswered
        long[] lastPing = {0};
        int[] pings = {0};
        try {
            await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> {
                if (probe.closedWith == null && !probe.types().contains("pong")
                        && System.nanoTime() - lastPing[0] > 2_000_000_000L) {
                    lastPing[0] = System.nanoTime();
                    pings[0]++;
                    try {
                        probe.send("{\"type\":\"ping\"}");
                    } catch (RuntimeException closing) {
                        // the server may close a refused socket before the ping is written; its close frame says why
                    }
                }
                return probe.closedWith != null || probe.types().contains("pong");
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // say what did arrive, so a lost pong can be told from a socket that got nothing at all
            throw new IllegalStateException("no pong from " + target + " within 20 s (" + pings[0] + " pings); frames: "
                    + probe.frames + ", input closed: " + probe.socket.isInputClosed() + ", output closed: "
                    + probe.socket.isOutputClosed(), e);
        }
        if (probe.closedWith != null) {
            throw new IllegalStateException("socket refused: close " + probe.closedWith);
        }
        // the pongs of the extra pings are dropped too, also those still to come
        List<JsonNode> pongs = probe.ofType("pong");
        probe.frames.removeAll(pongs);
        probe.latePongs.set(pings[0] - pongs.size());
        return probe;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode frame = JSON.readTree(partial.toString());
                if (!frame.path("type").asText().equals("pong") || latePongs.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
                    frames.add(frame);
                }
            } catch (Exception e) {
                throw new IllegalStateException("frame is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedWith = statusCode + " " + reason;
        return null;
    }

    public List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).toList();
    }

    public List<String> types() {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    public List<String> ids() {
        return frames.stream().filter(f -> f.has("id")).map(f -> f.path("id").asText()).toList();
    }

    public void awaitType(String type) {
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> types().contains(type));
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends one fragment of a text message ({@code last}: whether it ends the message). */
    public void sendPart(String text, boolean last) {
        socket.sendText(text, last).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Waits for the server's close frame and returns it as {@code "<code> <reason>"}. */
    public String awaitClose(Duration within) {
        await().pollInSameThread().atMost(within).until(() -> closedWith != null);
        return closedWith;
    }

    public boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
