package dev.agentdock.orchestration;

/**
 * Why a socket was refused or closed by the server, as the close code a page reads from {@code CloseEvent.code}:
 * the HTTP status plus 4000, in the range RFC 6455 leaves to applications. The reason is capped at the 123 bytes a close frame can carry.
 */
enum SocketRefusal {
    UNAUTHORIZED(4401, "unauthorized"),
    FORBIDDEN(4403, "forbidden"),
    NOT_FOUND(4404, "not found"),
    TOO_MANY_REQUESTS(4429, "too many requests");

    private final int code;
    private final String label;

    SocketRefusal(int code, String label) {
        this.code = code;
        this.label = label;
    }

    int code() {
        return code;
    }

    String reason(String detail) {
        String text = detail == null || detail.isBlank() ? label : label + ": " + detail;
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length <= 123) {
            return text;
        }
        int end = Math.min(text.length(), 120);
        while (end > 0 && text.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 120) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
