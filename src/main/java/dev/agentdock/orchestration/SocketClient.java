package dev.agentdock.orchestration;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * One open socket. Live frames and replayed ones meet here: while a resume is replaying, live frames wait in a
 * buffer; afterwards every frame is sent only if its id is newer than the last one sent — so a reconnecting
 * client gets what it missed, in order, and nothing twice.
 */
final class SocketClient {

    record Pending(String id, String text) {
    }

    private final WebSocketConnection connection;
    private final String userId;
    private final String sessionId;
    private final List<Pending> buffered = new ArrayList<>();
    private final ResumeThrottle resumes;
    private String lastSent;
    private boolean replaying;
    /** The Vert.x timer that closes this socket when its token expires (-1: none); guarded by this. */
    private long expiryTimer = -1;
    private boolean closed;

    SocketClient(WebSocketConnection connection, String userId, String sessionId, ResumeThrottle resumes) {
        this.connection = connection;
        this.userId = userId;
        this.sessionId = sessionId;
        this.resumes = resumes;
    }

    WebSocketConnection connection() {
        return connection;
    }

    ResumeThrottle resumes() {
        return resumes;
    }

    /**
     * Makes {@code timer} this socket's expiry timer and returns the one to cancel: the previous one, or
     * {@code timer} itself when the socket has already closed (so no timer outlives it).
     */
    synchronized long replaceExpiryTimer(long timer) {
        if (closed) {
            return timer;
        }
        long previous = expiryTimer;
        expiryTimer = timer;
        return previous;
    }

    synchronized boolean isExpiryTimer(long timer) {
        return !closed && expiryTimer == timer;
    }

    /** Marks the socket closed and returns its expiry timer to cancel (-1: none). */
    synchronized long closed() {
        closed = true;
        long timer = expiryTimer;
        expiryTimer = -1;
        return timer;
    }

    String userId() {
        return userId;
    }

    /** The session this socket follows, or null for the user-wide channel. */
    String sessionId() {
        return sessionId;
    }

    /** The id of the last numbered frame sent (null before the first). */
    synchronized String lastSent() {
        return lastSent;
    }

    String connectionId() {
        return connection.id();
    }

    synchronized void deliver(String id, String text) {
        if (replaying) {
            buffered.add(new Pending(id, text));
            return;
        }
        sendIfNewer(id, text);
    }

    /** Sends a frame that is not part of the numbered stream (errors, status, pong). */
    void sendUnnumbered(String text) {
        send(text);
    }

    synchronized void beginReplay() {
        replaying = true;
    }

    /** Sends the missed frames (from the replay buffer), then whatever arrived live meanwhile. */
    void finishReplay(List<Pending> missed) {
        synchronized (this) {
            for (Pending p : missed) {
                sendIfNewer(p.id(), p.text());
            }
            for (Pending p : buffered) {
                sendIfNewer(p.id(), p.text());
            }
            buffered.clear();
            replaying = false;
        }
    }

    /** Ends a replay that could not be read, delivering what arrived live. */
    void abandonReplay() {
        finishReplay(List.of());
    }

    private void sendIfNewer(String id, String text) {
        if (StreamIds.isStreamId(id)) {
            if (!StreamIds.after(id, lastSent)) {
                return;
            }
            lastSent = id;
        }
        send(text);
    }

    private void send(String text) {
        if (!connection.isOpen()) {
            return;
        }
        connection.sendText(text).subscribe().with(ok -> { },
                failure -> Log.debugf("socket %s: send failed: %s", connection.id(), failure.getMessage()));
    }
}
