package dev.agentdock.common;

import dev.langchain4j.exception.HttpException;
import io.vertx.core.MultiMap;

/** An upstream HTTP error with how long the upstream asked us to wait ({@code retry-after-ms} / {@code Retry-After}). */
public final class UpstreamHttpException extends HttpException {

    private final Long retryAfterMs;

    public UpstreamHttpException(int statusCode, String message, Long retryAfterMs) {
        super(statusCode, message);
        this.retryAfterMs = retryAfterMs;
    }

    /** Null when the upstream said nothing (or something unreadable, such as an HTTP date). */
    public Long retryAfterMs() {
        return retryAfterMs;
    }

    public static Long retryAfterMs(MultiMap headers) {
        try {
            String ms = headers.get("retry-after-ms");
            if (ms != null) {
                return Math.max(0, (long) Double.parseDouble(ms.trim()));
            }
            String seconds = headers.get("retry-after");
            if (seconds != null) {
                return Math.max(0, (long) (Double.parseDouble(seconds.trim()) * 1000));
            }
        } catch (NumberFormatException dateOrJunk) {
            // an HTTP date or junk: our own backoff applies
        }
        return null;
    }
}
