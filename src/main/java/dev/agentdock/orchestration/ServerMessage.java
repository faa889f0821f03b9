package dev.agentdock.orchestration;

import java.time.Instant;
import java.util.Map;

/** Every frame the server sends on an orchestration socket. */
public sealed interface ServerMessage {

    /** A session event: {@code {id, type, session_id, ts, data}}; {@code id} is what a client resumes after. */
    record Event(String id, String type, String sessionId, Instant ts, Map<String, Object> data) implements ServerMessage {
    }

    /** The client sent something the server could not use; the socket stays open. */
    record Error(String type, Instant ts, Map<String, Object> data) implements ServerMessage {
        public static Error of(String detail) {
            return new Error("error", Instant.now(), Map.of("detail", detail));
        }
    }

    /** The state of the cross-instance channel: {@code degraded} while Redis cannot be reached. */
    record Status(String type, Instant ts, Map<String, Object> data) implements ServerMessage {
        public static Status of(boolean degraded, String detail) {
            return new Status("channel_status", Instant.now(), Map.of("degraded", degraded, "detail", detail));
        }
    }

    /** A fresh token sent in an {@code auth} frame was accepted: the socket now stays open until {@code expires_at}. */
    record Authenticated(String type, Instant ts, Instant expiresAt) implements ServerMessage {
        public static Authenticated until(Instant expiresAt) {
            return new Authenticated("authenticated", Instant.now(), expiresAt);
        }
    }

    /** The answer to a client's application-level ping. */
    record Pong(String type, Instant ts) implements ServerMessage {
        public static Pong now() {
            return new Pong("pong", Instant.now());
        }
    }
}
