package dev.agentdock.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdock.common.DomainException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a relayed SSE byte stream after its last complete event: everything up to a blank line goes on at once, a
 * trailing partial event waits for the rest of it. OpenAI sends whole events per chunk, so in practice nothing waits;
 * but when a stream breaks mid-event, the client never gets half an event in front of the closing {@code error}.
 * Not thread-safe: one instance per stream, used on its event loop.
 */
final class SseEventCutter {

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte[] SEQUENCE = "\"sequence_number\":".getBytes(StandardCharsets.US_ASCII);

    private Buffer pending;
    private long lastSequence = -1;

    /** The complete events this chunk finishes (null if none yet); whatever follows them is kept for later. */
    Buffer accept(Buffer chunk) {
        Buffer data = pending == null ? chunk : pending.appendBuffer(chunk);
        int end = endOfLastEvent(data);
        if (end < 0) {
            pending = data;
            return null;
        }
        readSequence(data, end);
        if (end == data.length()) {
            pending = null;
            return data;
        }
        pending = data.getBuffer(end, data.length());
        return data.getBuffer(0, end);
    }

    /** Bytes of an event the upstream never finished, if any; null when the stream ended on an event boundary. */
    Buffer rest() {
        return pending;
    }

    /**
     * The Responses API's own {@code error} event, closing a stream that broke: its {@code sequence_number} follows
     * the last event relayed, and {@code upstream_status} is set when OpenAI answered with one (as in run events).
     * Whatever partial event was held back is dropped.
     */
    Buffer errorEvent(ObjectMapper json, DomainException.UpstreamFailed failure) {
        pending = null;
        ObjectNode event = json.createObjectNode()
                .put("type", "error")
                .put("code", failure.status() == 504 ? "upstream_timeout" : "upstream_failed")
                .put("message", failure.getMessage())
                .putNull("param")
                .put("sequence_number", lastSequence + 1);
        if (failure.upstreamStatus() != null) {
            event.put("upstream_status", failure.upstreamStatus());
        }
        return Buffer.buffer("event: error\ndata: " + event + "\n\n");
    }

    /** Index just past the last blank line ({@code \n\n} or {@code \r\n\r\n}), or -1. */
    private static int endOfLastEvent(Buffer data) {
        for (int i = data.length() - 1; i > 0; i--) {
            if (data.getByte(i) == LF) {
                byte before = data.getByte(i - 1);
                if (before == LF || (before == CR && i > 1 && data.getByte(i - 2) == LF)) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /** The {@code sequence_number} of the last complete event: a backwards byte scan of that event only. */
    private void readSequence(Buffer data, int end) {
        for (int i = end - SEQUENCE.length - 1; i >= 0; i--) {
            if (data.getByte(i) == LF && data.getByte(i + 1) == LF) {
                return; // the end of the event before: the last one has no sequence number
            }
            if (startsWithSequence(data, i)) {
                long value = 0;
                int digits = 0;
                for (int j = i + SEQUENCE.length; j < end && digits < 18; j++, digits++) {
                    byte b = data.getByte(j);
                    if (b < '0' || b > '9') {
                        break;
                    }
                    value = value * 10 + (b - '0');
                }
                if (digits > 0) {
                    lastSequence = value;
                }
                return;
            }
        }
    }

    private static boolean startsWithSequence(Buffer data, int at) {
        for (int k = 0; k < SEQUENCE.length; k++) {
            if (data.getByte(at + k) != SEQUENCE[k]) {
                return false;
            }
        }
        return true;
    }
}
