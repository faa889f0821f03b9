package dev.agentdock.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The one place run events become JSON and back. */
@ApplicationScoped
public class RunEventCodec {

    private final ObjectMapper json;

    RunEventCodec(ObjectMapper json) {
        this.json = json;
    }

    public String encode(RunEvent event) {
        String cached = event.cachedJson();
        if (cached != null) {
            return cached;
        }
        try {
            String encoded = json.writeValueAsString(event);
            event.cacheJson(encoded);
            return encoded;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run event is not serializable: " + event.type(), e);
        }
    }

    public RunEvent decode(String text) {
        try {
            JsonNode node = json.readTree(text);
            Map<String, Object> fields = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "type", "run_id", "session_id", "event_seq", "ts" -> {
                    }
                    default -> fields.put(e.getKey(), json.treeToValue(e.getValue(), Object.class));
                }
            }
            return new RunEvent(RunEventType.valueOf(node.get("type").asText().toUpperCase()),
                    UUID.fromString(node.get("run_id").asText()), UUID.fromString(node.get("session_id").asText()),
                    node.get("event_seq").asLong(), Instant.parse(node.get("ts").asText()), fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a run event: " + e.getOriginalMessage(), e);
        }
    }
}
