package dev.agentdock.run.model;

import dev.agentdock.common.Secrets;
import dev.agentdock.common.UpstreamHttpException;
import dev.langchain4j.exception.HttpException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What went wrong upstream, in terms a client can act on: the kind, the HTTP status if there was one, and a reason.
 * Classified from the exceptions' types and statuses (the transport's, LangChain4j's), never from their messages.
 */
public record UpstreamFailure(Kind kind, Integer status, String reason, Long retryAfterMs) {

    public enum Kind {
        /** The upstream answered with an error status. */
        STATUS,
        /** No connection could be made (refused, unknown host, TLS handshake, connect timeout). */
        CONNECT,
        /** An open connection broke (before or during the answer). */
        CONNECTION_LOST,
        /** The upstream said nothing for too long. */
        TIMEOUT,
        /** Anything else: an answer that could not be read, a refusal of the request before it was sent. */
        OTHER
    }

    /** A failure we decided ourselves (a stall, a deadline): no status. */
    public UpstreamFailure(Integer status, String reason) {
        this(status == null ? Kind.OTHER : Kind.STATUS, status, reason, null);
    }

    public boolean isRateLimit() {
        return status != null && status == 429;
    }

    /** A connection that broke before the upstream answered anything: safe to retry at once. */
    public boolean isConnectionLoss() {
        return kind == Kind.CONNECTION_LOST;
    }

    /**
     * Reads the failure out of whichever exception the model stack produced (LangChain4j wraps the transport's in
     * its own types: the cause chain is walked). The reason is short and never carries the upstream's body (an
     * OpenAI 401 quotes the key it was sent): with a status it is the status alone; without one, the kind and the
     * innermost message, scrubbed of secrets.
     */
    public static UpstreamFailure from(Throwable error) {
        String message = null;
        Kind kind = Kind.OTHER;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamHttpException upstream) {
                return status(upstream.statusCode(), upstream.retryAfterMs());
            }
            if (t instanceof HttpException http) {
                return status(http.statusCode(), null);
            }
            Kind here = kindOf(t);
            if (here != Kind.OTHER) {
                kind = here;
            }
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        String what = switch (kind) {
            case CONNECT -> "upstream connection failed";
            case CONNECTION_LOST -> "upstream connection lost";
            case TIMEOUT -> "upstream timed out";
            default -> "upstream stream failed";
        };
        return new UpstreamFailure(kind, null, what + (message == null ? "" : ": " + truncate(Secrets.scrub(message))),
                null);
    }

    private static UpstreamFailure status(int status, Long retryAfterMs) {
        return new UpstreamFailure(Kind.STATUS, status, "upstream answered HTTP " + status, retryAfterMs);
    }

    private static Kind kindOf(Throwable t) {
        if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SSLException) {
            return Kind.CONNECT; // Netty's connect timeout is a ConnectException too
        }
        if (t instanceof HttpClosedException) {
            return Kind.CONNECTION_LOST;
        }
        if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                || t instanceof dev.langchain4j.exception.TimeoutException) {
            return Kind.TIMEOUT;
        }
        return Kind.OTHER;
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
