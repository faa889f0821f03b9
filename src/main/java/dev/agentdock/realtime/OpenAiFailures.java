package dev.agentdock.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Secrets;
import io.quarkus.logging.Log;
import java.time.Duration;

/**
 * How a failed call to OpenAI is answered by the endpoints that call it themselves ({@code /api/session},
 * {@code /api/session2}, {@code /api/responses}): one status mapping, one wording, and never a key in a detail.
 */
final class OpenAiFailures {

    /** Ways a call can end without any HTTP answer, with the status each one is answered with. */
    enum NoAnswer {
        /** No TCP connection within the connect timeout. */
        CONNECT_TIMEOUT(503),
        /** Connection refused, or the host could not be resolved. */
        UNREACHABLE(503),
        /** Connected, but no answer within the time limit. */
        TIMEOUT(504),
        /** An answer had begun, then nothing more came within the time limit. */
        STALLED(504),
        /** The connection broke before an answer was complete. */
        BROKEN(502),
        INTERRUPTED(503);

        final int status;

        NoAnswer(int status) {
            this.status = status;
        }
    }

    /**
     * What a call was for: {@code subject} names it in details ("the session"); {@code callerWroteBody} says whether
     * the client wrote the request body, in which case OpenAI's 4xx verdicts on it are the client's to see.
     */
    record Call(String logLabel, String subject, boolean callerWroteBody) {
    }

    private static final int MAX_MESSAGE = 300;

    private OpenAiFailures() {
    }

    /** OpenAI never answered (or not completely); {@code limit} is the time limit that applied, if any. */
    static DomainException.UpstreamFailed noAnswer(Call call, NoAnswer kind, Duration limit, Throwable cause) {
        String detail = switch (kind) {
            case CONNECT_TIMEOUT -> "OpenAI did not accept a connection within " + limit.toMillis() + " ms";
            case UNREACHABLE -> "OpenAI is unreachable";
            case TIMEOUT -> "OpenAI did not answer within " + limit.toMillis() + " ms";
            case STALLED -> "OpenAI stopped sending for " + limit.toMillis() + " ms";
            case BROKEN -> "the connection to OpenAI failed";
            case INTERRUPTED -> "the OpenAI call was interrupted";
        };
        Log.warnf("%s failed: %s (%s)", call.logLabel(), detail, cause == null ? "-" : cause.getClass().getSimpleName());
        return new DomainException.UpstreamFailed(kind.status, null, detail, null, cause);
    }

    /**
     * OpenAI answered {@code status}: credentials refused (401/403) and server errors are a bad gateway, rate limits
     * stay 429 (with OpenAI's Retry-After, when it gave one), and other client errors are OpenAI's verdict on the
     * request: passed on as they are when the caller wrote it, a bad gateway when this service did.
     *
     * @param message OpenAI's error message, already {@linkplain #message scrubbed}; may be null
     */
    static DomainException.UpstreamFailed status(Call call, int status, String message, Long retryAfterSeconds) {
        Log.warnf("%s failed: upstream status %d", call.logLabel(), status);
        String suffix = message == null ? "" : ": " + message;
        if (status == 401 || status == 403) {
            return new DomainException.UpstreamFailed(502, status,
                    "OpenAI refused the server's API key (" + status + "); check OPENAI_API_KEY", null, null);
        }
        if (status == 429) {
            return new DomainException.UpstreamFailed(429, status,
                    "OpenAI is rate limiting this service; try again shortly" + suffix, retryAfterSeconds, null);
        }
        if (status >= 500 || status < 400) {
            return new DomainException.UpstreamFailed(502, status,
                    "OpenAI failed to create " + call.subject() + " (" + status + ")", null, null);
        }
        return new DomainException.UpstreamFailed(call.callerWroteBody() ? status : 502, status,
                "OpenAI rejected " + call.subject() + " (" + status + ")" + suffix, null, null);
    }

    /**
     * OpenAI's error message ({@code error.message}) from an error body, minus anything that looks like a key
     * (OpenAI quotes part of a refused key back) and cut to a readable length; null when there is none.
     */
    static String message(ObjectMapper json, byte[] body, String serverKey) {
        try {
            JsonNode message = json.readTree(body).path("error").path("message");
            if (!message.isTextual() || message.asText().isBlank()) {
                return null;
            }
            String safe = Secrets.scrub(message.asText().replace(serverKey, "***"));
            return safe.length() > MAX_MESSAGE ? safe.substring(0, MAX_MESSAGE) + "…" : safe;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Seconds to wait from OpenAI's {@code retry-after} (seconds) or {@code retry-after-ms} headers, rounded up. */
    static Long retryAfterSeconds(String retryAfter, String retryAfterMs) {
        try {
            if (retryAfterMs != null && !retryAfterMs.isBlank()) {
                return Math.max(1, (long) Math.ceil(Double.parseDouble(retryAfterMs.strip()) / 1000));
            }
            if (retryAfter != null && !retryAfter.isBlank()) {
                return Math.max(1, (long) Math.ceil(Double.parseDouble(retryAfter.strip())));
            }
        } catch (NumberFormatException e) {
            // an HTTP date or garbage: no hint rather than a wrong one
        }
        return null;
    }
}
