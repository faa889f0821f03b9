package dev.agentdock.orchestration;

/**
 * The resume frames one socket may send: a token bucket ({@code burst} at once, one more every {@code refillNanos}).
 * A replay reads the session's buffer from Redis and costs milliseconds of server time, so a client that loops on
 * resume is told to wait, and after {@code maxRefused} refusals in a row is disconnected.
 */
final class ResumeThrottle {

    enum Verdict { ALLOWED, REFUSED, CLOSE }

    private final int burst;
    private final long refillNanos;
    private final int maxRefused;
    private double tokens;
    private long refilledAt;
    private int refusedInRow;

    ResumeThrottle(int burst, long refillNanos, int maxRefused, long now) {
        this.burst = Math.max(1, burst);
        this.refillNanos = Math.max(1, refillNanos);
        this.maxRefused = Math.max(1, maxRefused);
        this.tokens = this.burst;
        this.refilledAt = now;
    }

    synchronized Verdict acquire(long now) {
        if (now > refilledAt) {
            tokens = Math.min(burst, tokens + (double) (now - refilledAt) / refillNanos);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            refusedInRow = 0;
            return Verdict.ALLOWED;
        }
        refusedInRow++;
        return refusedInRow >= maxRefused ? Verdict.CLOSE : Verdict.REFUSED;
    }

    /** Seconds until the next resume would be allowed (at least 1), for the error frame. */
    synchronized long retryAfterSeconds() {
        double missing = Math.max(0, 1 - tokens);
        return Math.max(1, (long) Math.ceil(missing * refillNanos / 1e9));
    }
}
