package dev.agentdock.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are typed strictly: a number where text is expected (or text where a number, a boolean where
 * either) is a 400 naming the field, not a value quietly converted; a key given twice in one object is a 400 (which
 * of the two would count depends on the parser, so a check on one could be passed with the other); and a NUL
 * character in text is a 400, since PostgreSQL cannot store it in text or jsonb.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.registerModule(new SimpleModule("agentdock-no-nul")
                .addDeserializer(String.class, new NulRefusingStrings())
                .addDeserializer(JsonNode.class, new NulRefusingTrees()));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(numeric)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    private static String checked(String text, JsonParser parser) throws JsonMappingException {
        if (text != null && text.indexOf((char) 0) >= 0) {
            throw JsonMappingException.from(parser, "text may not contain a NUL character (\\u0000)");
        }
        return text;
    }

    static final class NulRefusingStrings extends StdScalarDeserializer<String> {
        NulRefusingStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return checked(StringDeserializer.instance.deserialize(parser, context), parser);
        }
    }

    /** Free-form JSON (tool arguments, realtime items): every text value and field name inside, too. */
    static final class NulRefusingTrees extends StdDeserializer<JsonNode> {
        NulRefusingTrees() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(parser, context);
            if (tree != null && tree.toString().contains("\\u0000")) {
                throw JsonMappingException.from(parser, "text may not contain a NUL character (\\u0000)");
            }
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext context) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
    }
}
