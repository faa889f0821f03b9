package dev.agentdock.tool;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tool's LangChain4j specification as plain JSON-schema maps, for everything that publishes tools outside a
 * LangChain4j model call (the tools API, scenario agents for the Realtime/Agents SDKs).
 */
public final class ToolSchemas {

    private ToolSchemas() {
    }

    /** The parameters as a JSON schema object: {@code {type: object, properties, required, ...}}. */
    public static Map<String, Object> parameters(ToolSpecification spec) {
        JsonObjectSchema parameters = spec.parameters();
        if (parameters == null) {
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("type", "object");
            none.put("properties", Map.of());
            none.put("additionalProperties", false);
            return none;
        }
        Map<String, Object> schema = new LinkedHashMap<>(JsonSchemaElementUtils.toMap(parameters));
        // LangChain4j's non-strict rendering leaves additionalProperties out; the registry's schemas close it
        if (Boolean.FALSE.equals(parameters.additionalProperties())) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    /** The OpenAI function-tool shape the Realtime and Responses APIs take: {@code {type, name, description, parameters}}. */
    public static Map<String, Object> functionSchema(ToolSpecification spec) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("type", "function");
        function.put("name", spec.name());
        function.put("description", spec.description() == null ? "" : spec.description());
        function.put("parameters", parameters(spec));
        return function;
    }
}
