package dev.agentdock.auth;

/**
 * The authenticated party of one request: the user everything is scoped to, and whether a trusted backend
 * (service key) acts on that user's behalf.
 */
public record Caller(String userId, boolean service) {

    public Caller {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId is required");
        }
    }
}
