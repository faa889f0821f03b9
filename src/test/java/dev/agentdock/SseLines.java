package dev.agentdock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Predicate;

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

    /** Reads events until the stream ends. */
    public static void read(InputStream body, Consumer<Event> onEvent) throws IOException {
        readWhile(body, e -> {
            onEvent.accept(e);
            return true;
        });
    }

    /**
     * Reads events until the stream ends or {@code more} answers false for one, then closes the stream (which
     * hangs up on a stream that has not ended).
     */
    public static void readWhile(InputStream body, Predicate<Event> more) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        if (!more.test(new Event(id, JSON.readTree(data.toString())))) {
                            return;
                        }
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
