package dev.agentdock.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.auth.Authenticator;
import dev.agentdock.auth.Caller;
import dev.agentdock.common.DomainException;
import dev.agentdock.run.stop.RunDrain;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What both socket endpoints do: register (within the per-user cap), close at the token's expiry unless a fresh
 * token arrives in an {@code auth} frame, resume after a last event id (throttled), answer client frames, unregister.
 */
@ApplicationScoped
public class SocketSessions {

    /** Longest part of a client's frame type quoted back in an error frame. */
    static final int MAX_ECHOED_TYPE = 40;

    private final SocketRegistry registry;
    private final SessionEventBus bus;
    private final ObjectMapper json;
    private final Authenticator authenticator;
    private final OrchestrationConfig.Socket limits;
    private final Vertx vertx;

    SocketSessions(SocketRegistry registry, SessionEventBus bus, ObjectMapper json, Authenticator authenticator,
                   OrchestrationConfig config, Vertx vertx) {
        this.registry = registry;
        this.bus = bus;
        this.json = json;
        this.authenticator = authenticator;
        this.limits = config.socket();
        this.vertx = vertx;
    }

    void open(WebSocketConnection connection) {
        if (refused(connection)) {
            return;
        }
        SocketClient client = clientOf(connection);
        if (client == null) {
            return;
        }
        if (!connection.isOpen()) {
            close(connection);
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
        if (client == null) {
            return;
        }
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
                switch (client.resumes().acquire(System.nanoTime())) {
                    case REFUSED -> {
                        client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of("too many resume frames; retry in "
                                + client.resumes().retryAfterSeconds() + " s (live events continue)")));
                        return;
                    }
                    case CLOSE -> {
                        close(connection, SocketRefusal.TOO_MANY_REQUESTS, "resume frames sent faster than allowed");
                        return;
                    }
                    case ALLOWED -> { }
                }
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
            case "auth" -> reauthenticate(client, frame.path("token").asText(null));
            default -> client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of("unknown frame type '"
                    + printable(type, MAX_ECHOED_TYPE)
                    + "'; send {\"type\":\"resume\",\"last_event_id\":…}, {\"type\":\"auth\",\"token\":…} or {\"type\":\"ping\"}")));
        }
    }

    void close(WebSocketConnection connection) {
        SocketClient client = registry.remove(connection.id());
        if (client != null) {
            cancelTimer(client.closed());
        }
    }

    /**
     * A failure of a socket ({@code @OnError}): a message over {@code quarkus.websockets-next.server.max-message-size}
     * (or a frame over {@code max-frame-size}) closes it with 1009, the code RFC 6455 has for it, and logs no stack
     * trace: it is the client's doing. Anything else is the server's: logged, and closed with 1011.
     */
    void failure(WebSocketConnection connection, Throwable failure) {
        if (tooBig(failure)) {
            Log.debugf("socket %s: message too big: %s", connection.id(), failure.getMessage());
            closeWith(connection, new CloseReason(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big"));
            return;
        }
        Log.errorf(failure, "socket %s: unhandled failure", connection.id());
        closeWith(connection, new CloseReason(WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code(), "internal error"));
    }

    static boolean tooBig(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CorruptedWebSocketFrameException corrupted
                    && corrupted.closeStatus() != null
                    && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
                return true;
            }
            // Vert.x aggregating a fragmented message: "... to overflow max message size of N"
            if (t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().contains("max message size")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * {@code {"type":"auth","token":…}}: a fresh token for the same user keeps the socket open until its expiry;
     * an invalid one closes it with 4401, another user's with 4403 (a socket never changes hands).
     */
    private void reauthenticate(SocketClient client, String token) {
        if (!authenticator.usesTokens()) {
            client.sendUnnumbered(bus.encodeMessage(ServerMessage.Error.of(
                    "this service does not use access tokens; an auth frame is not needed")));
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticateToken(token);
        } catch (DomainException.Unauthorized e) {
            close(client.connection(), SocketRefusal.UNAUTHORIZED, e.getMessage());
            return;
        }
        if (!caller.userId().equals(client.userId())) {
            close(client.connection(), SocketRefusal.FORBIDDEN, "the token is another user's; open a new socket");
            return;
        }
        armExpiry(client, caller.expiresAt());
        client.sendUnnumbered(bus.encodeMessage(ServerMessage.Authenticated.until(caller.expiresAt())));
    }

    /** (Re)starts the timer that closes the socket with 4401 at {@code expiresAt} plus the grace; null: never. */
    private void armExpiry(SocketClient client, Instant expiresAt) {
        if (expiresAt == null) {
            return;
        }
        long delay = Math.max(1, Duration.between(Instant.now(), expiresAt.plus(limits.expiryGrace())).toMillis());
        long[] timer = new long[1];
        timer[0] = vertx.setTimer(delay, id -> {
            if (client.isExpiryTimer(id)) {
                close(client.connection(), SocketRefusal.UNAUTHORIZED,
                        "the token has expired; send {\"type\":\"auth\",\"token\":…} before it does");
            }
        });
        cancelTimer(client.replaceExpiryTimer(timer[0]));
    }

    private void cancelTimer(long timer) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The close code that tells a client this instance is going away and a new socket will be served elsewhere. */
    static final int SERVICE_RESTART = 1012;

    /**
     * The instance has drained its runs and is about to exit: every socket is closed with 1012 ("service restart"),
     * so a client reconnects at once (the load balancer sends it to another instance, where it resumes from its last
     * event id) instead of being cut when the process ends. Waits briefly for the close frames to go out.
     */
    void letGo(@Observes RunDrain.Drained drained) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (SocketClient client : List.copyOf(registry.all())) {
            WebSocketConnection connection = client.connection();
            if (!connection.isClosed()) {
                closing.add(connection.close(new CloseReason(SERVICE_RESTART, "service restart: reconnect"))
                        .subscribeAsCompletionStage().exceptionally(failure -> null));
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            Log.debugf("shutting down: not every socket acknowledged its close (%s)", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Log.infof("shutting down: %d socket(s) closed with %d (service restart)", closing.size(), SERVICE_RESTART);
    }

    private static void close(WebSocketConnection connection, SocketRefusal refusal, String detail) {
        closeWith(connection, new CloseReason(refusal.code(), refusal.reason(detail)));
    }

    private static void closeWith(WebSocketConnection connection, CloseReason reason) {
        if (!connection.isClosed()) {
            connection.close(reason).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** A client's text quoted back: printable characters only (others as '?'), at most {@code max} of them. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        int[] points = text.codePoints().toArray();
        for (int i = 0; i < points.length && i < max; i++) {
            int c = points[i];
            boolean visible = !Character.isISOControl(c) && Character.isDefined(c)
                    && Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.SURROGATE
                    && Character.getType(c) != Character.PRIVATE_USE && Character.getType(c) != Character.LINE_SEPARATOR
                    && Character.getType(c) != Character.PARAGRAPH_SEPARATOR;
            out.appendCodePoint(visible ? c : '?');
        }
        if (points.length > max) {
            out.append('…');
        }
        return out.toString();
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
        String user = connection.userData().get(SocketUpgradeCheck.USER);
        SocketClient client = registry.obtain(connection.id(), user, limits.maxPerUser(), () -> {
            SocketClient created = new SocketClient(connection, user, connection.pathParam("session_id"),
                    new ResumeThrottle(limits.resumeBurst(), limits.resumeRefill().toNanos(),
                            limits.maxRefusedResumes(), System.nanoTime()));
            if (lastEventId(connection) != null) {
                created.beginReplay();
            }
            Long expiresAt = connection.userData().get(SocketUpgradeCheck.EXPIRES_AT);
            if (expiresAt != null) {
                armExpiry(created, Instant.ofEpochMilli(expiresAt));
            }
            return created;
        });
        if (client == null) {
            // over the cap: marked refused, so a message racing the open does not try again
            String reason = SocketRefusal.TOO_MANY_REQUESTS.reason(
                    "at most " + limits.maxPerUser() + " sockets per user; close one first");
            connection.userData().put(SocketUpgradeCheck.REFUSED_CODE, SocketRefusal.TOO_MANY_REQUESTS.code());
            connection.userData().put(SocketUpgradeCheck.REFUSED_REASON, reason);
            refused(connection);
        }
        return client;
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
