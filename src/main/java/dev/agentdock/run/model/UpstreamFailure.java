package dev.agentdock.run.model;

import dev.agentdock.common.Secrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What went wrong upstream, in terms a client can act on: the HTTP status if there was one, and a reason. */
public record UpstreamFailure(Integer status, String reason) {

    private static final Pattern STATUS = Pattern.compile("\\b(?:status(?: code)?|HTTP)[ :=]*(\\d{3})\\b", Pattern.CASE_INSENSITIVE);

    public boolean isRateLimit() {
        return status != null && status == 429;
    }

    /** A connection that broke before the upstream answered anything: safe to retry at once. */
    public boolean isConnectionLoss() {
        return status == null && reason.contains("Connection was closed");
    }

    /**
     * Reads the status out of whichever exception the client stack produced. The reason is short and never carries
     * the upstream's body (an OpenAI 401 quotes the key it was sent): with a status it is the status alone; without
     * one (a connection or timeout, whose text is our own stack's) the message, scrubbed of secrets.
     */
    public static UpstreamFailure from(Throwable error) {
        Integer status = null;
        String message = null;
        for (Throwable t = error; t != null && status == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof dev.langchain4j.exception.HttpException http) {
                status = http.statusCode();
            } else if (t instanceof jakarta.ws.rs.WebApplicationException wae && wae.getResponse() != null) {
                status = wae.getResponse().getStatus();
            } else if (t instanceof dev.langchain4j.exception.RateLimitException) {
                status = 429;
            } else if (t.getMessage() != null) {
                Matcher m = STATUS.matcher(t.getMessage());
                if (m.find()) {
                    status = Integer.parseInt(m.group(1));
                }
            }
            if (message == null && t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        if (status != null) {
            return new UpstreamFailure(status, "upstream answered HTTP " + status);
        }
        String kind = isTimeout(error) ? "upstream timed out"
                : isConnection(error) ? "upstream connection failed" : "upstream stream failed";
        return new UpstreamFailure(null, kind + (message == null ? "" : ": " + truncate(Secrets.scrub(message))));
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnection(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t.getClass().getSimpleName().contains("Closed")) {
                return true;
            }
        }
        return false;
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
