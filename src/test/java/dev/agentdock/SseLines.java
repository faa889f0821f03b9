package dev.agentdock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A small SSE reader that follows the event-stream grammar (fields, multi-line data, comments, blank-line
 * dispatch) for tests that run outside a Quarkus runtime, where the REST client's SSE support is not available.
 */
public final class SseLines {

    public record Event(String id, JsonNode data) {
        public String type() {
            return data.path("type").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SseLines() {
    }

    /** Reads events until the stream ends or {@code onEvent} returns after a terminal event. */
    public static void read(InputStream body, Consumer<Event> onEvent) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        onEvent.accept(new Event(id, JSON.readTree(data.toString())));
                    }
                    data.setLength(0);
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                    default -> { }
                }
            }
        }
    }
}
