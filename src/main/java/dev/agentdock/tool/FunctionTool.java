package dev.agentdock.tool;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool as OpenAI function-calling APIs (Realtime session config, Agents SDK {@code tool()}) take it:
 * {@code {type:"function", name, description, parameters:<JSON schema>}}.
 */
@RegisterForReflection
public record FunctionTool(String type, String name, String description, Map<String, Object> parameters) {

    public static FunctionTool of(ToolSpecification spec) {
        Map<String, Object> parameters;
        if (spec.parameters() == null) {
            parameters = new LinkedHashMap<>();
            parameters.put("type", "object");
            parameters.put("properties", Map.of());
            parameters.put("required", List.of());
        } else {
            parameters = JsonSchemaElementUtils.toMap(spec.parameters());
        }
        return new FunctionTool("function", spec.name(), spec.description() == null ? "" : spec.description(), parameters);
    }

    /** The function schemas of the named tools, in order; names the registry does not know are skipped. */
    public static List<FunctionTool> of(ToolRegistry registry, List<String> names) {
        return registry.specifications(names).stream().map(FunctionTool::of).toList();
    }
}
