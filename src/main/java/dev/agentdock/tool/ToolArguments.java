package dev.agentdock.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.common.DomainException.FieldError;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks tool arguments against the tool's own schema before anything runs, so a caller learns which field is
 * wrong instead of getting a binding error from inside the tool. Covers what LangChain4j derives from Java
 * parameters: required properties, JSON types, enums, closed objects, arrays and nested objects.
 */
public final class ToolArguments {

    private final Map<String, JsonSchemaElement> definitions;
    private final List<FieldError> errors = new ArrayList<>();

    private ToolArguments(Map<String, JsonSchemaElement> definitions) {
        this.definitions = definitions == null ? Map.of() : definitions;
    }

    /** Every violation, with fields named from {@code prefix} (e.g. {@code arguments.amount}); empty when valid. */
    public static List<FieldError> violations(JsonObjectSchema schema, JsonNode arguments, String prefix) {
        if (schema == null) {
            schema = JsonObjectSchema.builder().additionalProperties(false).build();
        }
        ToolArguments check = new ToolArguments(schema.definitions());
        check.object(schema, arguments, prefix);
        return List.copyOf(check.errors);
    }

    private void element(JsonSchemaElement schema, JsonNode value, String field) {
        switch (schema) {
            case JsonObjectSchema object -> object(object, value, field);
            case JsonStringSchema ignored -> expect(value.isTextual(), field, "a string", value);
            case JsonIntegerSchema ignored -> expect(isInteger(value), field, "an integer", value);
            case JsonNumberSchema ignored -> expect(value.isNumber(), field, "a number", value);
            case JsonBooleanSchema ignored -> expect(value.isBoolean(), field, "a boolean", value);
            case JsonNullSchema ignored -> expect(value.isNull(), field, "null", value);
            case JsonEnumSchema enumeration -> enumeration(enumeration, value, field);
            case JsonArraySchema array -> array(array, value, field);
            case JsonAnyOfSchema anyOf -> anyOf(anyOf, value, field);
            case JsonReferenceSchema reference -> {
                JsonSchemaElement target = definitions.get(reference.reference());
                if (target != null) {
                    element(target, value, field);
                }
            }
            default -> {
                // raw schemas: nothing this checker can say about them
            }
        }
    }

    private void object(JsonObjectSchema schema, JsonNode value, String field) {
        if (!value.isObject()) {
            errors.add(new FieldError(field, "must be an object, not " + typeOf(value)));
            return;
        }
        Map<String, JsonSchemaElement> properties = schema.properties() == null ? Map.of() : schema.properties();
        for (String required : schema.required() == null ? List.<String>of() : schema.required()) {
            JsonNode present = value.get(required);
            if (present == null || present.isNull()) {
                errors.add(new FieldError(child(field, required), "is required"));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonSchemaElement property = properties.get(entry.getKey());
            if (property == null) {
                if (Boolean.FALSE.equals(schema.additionalProperties())) {
                    errors.add(new FieldError(child(field, entry.getKey()),
                            "is not a parameter; expected one of " + String.join(", ", properties.keySet())));
                }
            } else if (!entry.getValue().isNull()) {
                // an explicit null is "not given": required ones were reported above
                element(property, entry.getValue(), child(field, entry.getKey()));
            }
        }
    }

    private void enumeration(JsonEnumSchema schema, JsonNode value, String field) {
        if (!value.isTextual() || !schema.enumValues().contains(value.asText())) {
            errors.add(new FieldError(field, "must be one of " + String.join(", ", schema.enumValues())));
        }
    }

    private void array(JsonArraySchema schema, JsonNode value, String field) {
        if (!value.isArray()) {
            errors.add(new FieldError(field, "must be an array, not " + typeOf(value)));
            return;
        }
        if (schema.items() != null) {
            for (int i = 0; i < value.size(); i++) {
                element(schema.items(), value.get(i), field + "[" + i + "]");
            }
        }
    }

    private void anyOf(JsonAnyOfSchema schema, JsonNode value, String field) {
        for (JsonSchemaElement option : schema.anyOf()) {
            ToolArguments attempt = new ToolArguments(definitions);
            attempt.element(option, value, field);
            if (attempt.errors.isEmpty()) {
                return;
            }
        }
        errors.add(new FieldError(field, "does not match any of the allowed shapes"));
    }

    private void expect(boolean ok, String field, String expected, JsonNode value) {
        if (!ok) {
            errors.add(new FieldError(field, "must be " + expected + ", not " + typeOf(value)));
        }
    }

    private static boolean isInteger(JsonNode value) {
        // JSON schema counts 2.0 as an integer; 2.5 is not
        return value.isIntegralNumber() || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            default -> value.getNodeType().name().toLowerCase();
        };
    }

    private static String child(String parent, String name) {
        return parent == null || parent.isEmpty() ? name : parent + "." + name;
    }
}
