package dev.agentdock.tool;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import io.quarkus.arc.ClientProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one registry of server tools, used by agent turns and by the tools API alike. Specifications and argument
 * binding come from LangChain4j's {@code @Tool} machinery; names must be unique across all tool beans.
 */
@ApplicationScoped
public class ToolRegistry {

    private final Map<String, RegisteredTool> tools;

    ToolRegistry(Instance<AgentTools> beans,
                 @ConfigProperty(name = "agentdock.tools.default-timeout", defaultValue = "10s") Duration defaultTimeout) {
        Map<String, RegisteredTool> found = new TreeMap<>();
        for (AgentTools bean : beans) {
            Object target = ClientProxy.unwrap(bean);
            for (Method method : target.getClass().getDeclaredMethods()) {
                if (!method.isAnnotationPresent(Tool.class)) {
                    continue;
                }
                ToolSpecification spec = closed(ToolSpecifications.toolSpecificationFrom(method));
                ToolTimeout own = method.getAnnotation(ToolTimeout.class);
                Duration timeout = own == null ? defaultTimeout : Duration.ofMillis(own.millis());
                RegisteredTool tool = new RegisteredTool(spec.name(), spec, DefaultToolExecutor.builder()
                        .object(target).originalMethod(method).methodToInvoke(method)
                        // failures must reach ToolRunner as exceptions, not as text that looks like a result
                        .wrapToolArgumentsExceptions(true).propagateToolExecutionExceptions(true)
                        .build(), timeout);
                if (found.putIfAbsent(spec.name(), tool) != null) {
                    throw new IllegalStateException("tool name '" + spec.name() + "' is defined twice (" + method + ")");
                }
            }
        }
        this.tools = Collections.unmodifiableMap(found);
    }

    /**
     * A Java method takes exactly its parameters and LangChain4j drops any other argument silently, so the schema
     * says so: a misspelt argument is then reported instead of ignored.
     */
    private static ToolSpecification closed(ToolSpecification spec) {
        JsonObjectSchema parameters = spec.parameters() == null ? JsonObjectSchema.builder().build() : spec.parameters();
        return spec.toBuilder().parameters(parameters.toBuilder().additionalProperties(false).build()).build();
    }

    public Optional<RegisteredTool> find(String name) {
        return Optional.ofNullable(name == null ? null : tools.get(name));
    }

    public boolean has(String name) {
        return tools.containsKey(name);
    }

    public Collection<RegisteredTool> all() {
        return tools.values();
    }

    /** The specifications of the named tools, in the given order; unknown names are skipped. */
    public List<ToolSpecification> specifications(Collection<String> names) {
        return names.stream().map(tools::get).filter(t -> t != null).map(RegisteredTool::specification).toList();
    }
}
