package dev.agentdock.common;

import java.util.List;

/**
 * The small family of failures a service may throw; {@link ProblemMapper} turns each into problem+json.
 * Sealed so that every kind has a deliberate HTTP status.
 */
public sealed class DomainException extends RuntimeException
        permits DomainException.NotFound, DomainException.Conflict, DomainException.Invalid,
        DomainException.UpstreamFailed, DomainException.RateLimited, DomainException.Unauthorized,
        DomainException.Forbidden, DomainException.Unavailable, DomainException.QuotaExceeded,
        DomainException.TooLarge {

    private final String type;

    protected DomainException(String type, String detail, Throwable cause) {
        super(detail, cause);
        this.type = type;
    }

    /** A short slug for the problem type URI, e.g. {@code session-not-found}. */
    public String type() {
        return type;
    }

    /** A resource that does not exist, or that belongs to somebody else. */
    public static final class NotFound extends DomainException {
        public NotFound(String what, Object id) {
            super("not-found", what + " '" + id + "' was not found", null);
        }
    }

    /** The request clashes with the current state (an active run, a reused id...). */
    public static non-sealed class Conflict extends DomainException {
        public Conflict(String type, String detail) {
            super(type, detail, null);
        }
    }

    /** The request is acceptable in itself but would store more than the caller's quota allows (422). */
    public static final class QuotaExceeded extends DomainException {
        public QuotaExceeded(String type, String detail) {
            super(type, detail, null);
        }
    }

    /** The request carries more than one request may (413). */
    public static final class TooLarge extends DomainException {
        public TooLarge(String type, String detail) {
            super(type, detail, null);
        }
    }

    /** The request is well-formed JSON but its values are not acceptable. */
    public static final class Invalid extends DomainException {
        private final List<FieldError> errors;

        public Invalid(String detail, List<FieldError> errors) {
            super("invalid-request", detail, null);
            this.errors = List.copyOf(errors);
        }

        public Invalid(String field, String message) {
            this(field + ": " + message, List.of(new FieldError(field, message)));
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /**
     * An upstream (OpenAI) call failed; {@code status} is what we answer, {@code upstreamStatus} what they said, and
     * {@code retryAfterSeconds} (may be null) how long they asked us to wait, for the Retry-After header.
     */
    public static final class UpstreamFailed extends DomainException {
        private final int status;
        private final Integer upstreamStatus;
        private final Long retryAfterSeconds;

        public UpstreamFailed(int status, Integer upstreamStatus, String detail, Throwable cause) {
            this(status, upstreamStatus, detail, null, cause);
        }

        public UpstreamFailed(int status, Integer upstreamStatus, String detail, Long retryAfterSeconds,
                              Throwable cause) {
            super("upstream-failed", detail, cause);
            this.status = status;
            this.upstreamStatus = upstreamStatus;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public Long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public Integer upstreamStatus() {
            return upstreamStatus;
        }
    }

    /** Too many requests; {@code retryAfterSeconds} goes to the Retry-After header. */
    public static final class RateLimited extends DomainException {
        private final long retryAfterSeconds;

        public RateLimited(String detail, long retryAfterSeconds) {
            super("rate-limited", detail, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * No acceptable credentials: none, or a token that is expired, badly signed or meant for someone else.
     * {@code challenge} is the {@code WWW-Authenticate} value (RFC 6750).
     */
    public static final class Unauthorized extends DomainException {
        private final String challenge;

        public Unauthorized(String detail, boolean credentialsPresented) {
            super("unauthorized", detail, null);
            this.challenge = credentialsPresented ? "Bearer error=\"invalid_token\"" : "Bearer";
        }

        public String challenge() {
            return challenge;
        }
    }

    /** Authenticated, but not allowed to do this. */
    public static final class Forbidden extends DomainException {
        public Forbidden(String detail) {
            super("forbidden", detail, null);
        }
    }

    /** A dependency this request needs is not available right now. */
    public static final class Unavailable extends DomainException {
        public Unavailable(String detail) {
            super("unavailable", detail, null);
        }
    }

    public record FieldError(String field, String message) {
    }
}
