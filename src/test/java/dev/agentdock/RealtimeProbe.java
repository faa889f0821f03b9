package dev.agentdock;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A socket on a (simulated) Realtime call that keeps every server event, decoded, in arrival order: the browser's
 * side ({@code /v1/realtime?model=}, as the Agents SDK's WebSocket transport connects) or a sideband
 * ({@code ?call_id=}). Vert.x's client, because it shows the upgrade's response headers (the simulator's call id).
 */
public final class RealtimeProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient();

    /** A browser's WebRTC offer: one audio section and the data channel. */
    public static final String OFFER = String.join("\r\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-",
            "t=0 0", "a=group:BUNDLE 0 1", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0",
            "a=sendrecv", "a=rtpmap:111 opus/48000/2", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0", "a=mid:1", "a=sctp-port:5000", "") ;

    /** A RestAssured request that sends its body as {@code application/sdp}. */
    public static io.restassured.specification.RequestSpecification sdp() {
        return io.restassured.RestAssured.given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                .encodeContentTypeAs("application/sdp", io.restassured.http.ContentType.TEXT))).contentType("application/sdp");
    }

    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    private volatile boolean closed;

    private final MultiMap headers;

    private RealtimeProbe(WebSocket socket) {
        this.socket = socket;
        // Vert.x keeps the upgrade's headers only until the connect callback returns
        this.headers = MultiMap.caseInsensitiveMultiMap().addAll(socket.headers());
        socket.textMessageHandler(text -> {
            try {
                events.add(JSON.readTree(text));
            } catch (Exception e) {
                throw new IllegalStateException("event is not JSON: " + text, e);
            }
        });
        socket.closeHandler(v -> closed = true);
    }

    /** Opens {@code pathAndQuery} on the app at {@code base} with {@code Authorization: Bearer key}. */
    public static RealtimeProbe open(URI base, String pathAndQuery, String key) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost()).setPort(base.getPort()).setURI(pathAndQuery)
                .addHeader("Authorization", "Bearer " + key);
        try {
            // built on the event loop inside the callback, so no event can arrive before the handler is set and the
            // upgrade's headers are still there: connecting from a Vert.x context attaches the callback before the
            // connection can complete (from the test's thread, a fast connect ran it afterwards, headers gone)
            java.util.concurrent.CompletableFuture<RealtimeProbe> opened = new java.util.concurrent.CompletableFuture<>();
            VERTX.runOnContext(v -> CLIENT.connect(options).map(RealtimeProbe::new)
                    .onSuccess(opened::complete).onFailure(opened::completeExceptionally));
            RealtimeProbe probe = opened.get(10, TimeUnit.SECONDS);
            probe.awaitType("session.created");
            return probe;
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + pathAndQuery + ": " + e.getMessage(), e);
        }
    }

    /** The upgrade's response headers. */
    public MultiMap headers() {
        return headers;
    }

    public void send(Object event) {
        try {
            socket.writeTextMessage(event instanceof String s ? s : JSON.writeValueAsString(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    public JsonNode awaitType(String type) {
        return awaitEvent(type, e -> true);
    }

    /** The first event of {@code type} that matches, waiting up to 15 s for it. */
    public JsonNode awaitEvent(String type, Predicate<JsonNode> matching) {
        await().atMost(Duration.ofSeconds(15)).until(() -> ofType(type).stream().anyMatch(matching));
        return ofType(type).stream().filter(matching).findFirst().orElseThrow();
    }

    public boolean closed() {
        return closed;
    }

    public static Map<String, Object> event(String type, Map<String, Object> fields) {
        Map<String, Object> event = new java.util.LinkedHashMap<>(fields);
        event.put("type", type);
        return event;
    }

    @Override
    public void close() {
        if (!closed) {
            socket.close();
        }
    }
}
