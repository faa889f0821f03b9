package dev.agentdock.simulator;

import dev.agentdock.common.SseConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole simulator stream over a raw connection with a read timeout: RestAssured would hide how a stream
 * ends (clean EOF, abrupt close, or silence), which is exactly what the failure modes are about.
 */
final class SseClient {

    enum Ending { COMPLETE, BROKEN, TIMED_OUT }

    /** {@code data} in order, {@code event} names in order, and how the stream ended. */
    record Result(int status, String contentType, List<String> data, List<String> events, Ending ending,
            long firstDataMillis, long elapsedMillis) {}

    private SseClient() {
    }

    static Result post(int port, String path, String json, Map<String, String> headers, int readTimeoutMs)
            throws IOException {
        Map<String, String> withKey = new HashMap<>(Map.of("Authorization", "Bearer sim-test"));
        withKey.putAll(headers);
        long start = System.nanoTime();
        List<String> data = new ArrayList<>();
        List<String> events = new ArrayList<>();
        long firstData = -1;
        try (SseConnection sse = SseConnection.post(port, path, json, withKey, readTimeoutMs)) {
            for (SseConnection.Event event = sse.next(); event != null; event = sse.next()) {
                if (event.data() != null) {
                    firstData = firstData < 0 ? (System.nanoTime() - start) / 1_000_000 : firstData;
                    data.add(event.data());
                }
                if (event.name() != null) {
                    events.add(event.name());
                }
            }
            return new Result(sse.status(), sse.header("Content-Type"), data, events,
                    Ending.valueOf(sse.ending().name()), firstData, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
