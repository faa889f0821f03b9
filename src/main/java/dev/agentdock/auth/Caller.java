package dev.agentdock.auth;

import java.time.Instant;

/**
 * The authenticated party of one request: the user everything is scoped to, whether a trusted backend
 * (service key) acts on that user's behalf, and when its credential stops being valid ({@code expiresAt}: the
 * token's {@code exp}; null for a service key or the dev mode, which do not expire). A socket opened with a token
 * is closed at that instant (orchestration/SocketSessions).
 */
public record Caller(String userId, boolean service, Instant expiresAt) {

    public Caller {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId is required");
        }
    }

    /** A caller whose credential does not expire (service key, dev mode). */
    public Caller(String userId, boolean service) {
        this(userId, service, null);
    }
}
