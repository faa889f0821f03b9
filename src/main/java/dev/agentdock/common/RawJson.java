package dev.agentdock.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Reads back a field written with {@code @JsonRawValue} (stored JSON passed through as is): the JSON value, as the
 * text it was, so a decoded record equals the one encoded.
 */
public final class RawJson extends StdDeserializer<String> {

    public RawJson() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode node = context.readTree(parser);
        return node == null || node.isNull() ? null : node.toString();
    }
}
