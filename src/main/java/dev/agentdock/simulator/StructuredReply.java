package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Structured output ({@code response_format: json_schema}): a JSON value that fits the schema, chosen from the
 * user text where it can be — an enum value the text names wins (so a classifier test can steer the choice).
 */
final class StructuredReply {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StructuredReply() {
    }

    /** The schema of a request's {@code response_format}, or null when it asks for none. */
    static JsonNode schemaOf(JsonNode body) {
        JsonNode format = body.path("response_format");
        if (!"json_schema".equals(format.path("type").asText())) {
            return null;
        }
        JsonNode schema = format.path("json_schema").path("schema");
        return schema.isMissingNode() ? null : schema;
    }

    /** The value as text tokens of a few characters each, streamed like any reply. */
    static List<String> tokens(JsonNode schema, String userText) {
        String json = value(schema, userText == null ? "" : userText).toString();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < json.length(); i += 8) {
            tokens.add(json.substring(i, Math.min(json.length(), i + 8)));
        }
        return tokens;
    }

    static JsonNode value(JsonNode schema, String userText) {
        JsonNode enumValues = schema.path("enum");
        if (enumValues.isArray() && !enumValues.isEmpty()) {
            String text = userText.toLowerCase(Locale.ROOT);
            for (JsonNode candidate : enumValues) {
                if (text.contains(candidate.asText().toLowerCase(Locale.ROOT))) {
                    return candidate;
                }
            }
            return enumValues.get(0);
        }
        return switch (schema.path("type").asText("object")) {
            case "string" -> JSON.textNode("simulated: " + Markers.strip(userText));
            case "number" -> JSON.numberNode(0.8);
            case "integer" -> JSON.numberNode(1);
            case "boolean" -> JSON.booleanNode(true);
            case "array" -> JSON.arrayNode();
            default -> {
                ObjectNode object = JSON.objectNode();
                schema.path("properties").properties().forEach(p -> object.set(p.getKey(), value(p.getValue(), userText)));
                yield object;
            }
        };
    }
}
