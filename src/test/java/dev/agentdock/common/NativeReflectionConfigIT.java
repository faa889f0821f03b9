package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.orchestration.ServerMessage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Reads the reflection configuration that {@code ./mvnw verify -Dnative -Dquarkus.native.sources-only=true} hands
 * to native-image and checks it covers what the service turns into JSON with its own ObjectMapper: every socket
 * frame type (all of sealed {@link ServerMessage}, so a new frame cannot be forgotten), run events, problems, tool
 * results, and every agentdock type reachable from their accessors (an enum's {@code @JsonValue} is read
 * reflectively too). Runs only in that build (CI's native step); the plain build has no such file.
 */
@EnabledIfSystemProperty(named = "quarkus.native.sources-only", matches = "true")
class NativeReflectionConfigIT {

    @Test
    void everyTypeTheServiceSerializesItselfIsRegisteredWithItsMethods() throws IOException {
        Map<String, JsonNode> registered = reflectConfig();
        List<String> missing = new ArrayList<>();
        for (Class<?> type : selfSerialized()) {
            JsonNode entry = registered.get(type.getName());
            boolean methods = entry != null && (entry.path("allDeclaredMethods").asBoolean()
                    || entry.path("allPublicMethods").asBoolean() || entry.has("methods"));
            if (!methods) {
                missing.add(type.getName() + (entry == null ? " (absent)" : " (no methods)"));
            }
        }
        assertThat(missing).as("types serialized by the service but not registered for reflection").isEmpty();
    }

    @Test
    void langChain4jsOpenAiWireTypesAndTheirBuildersAreRegistered() throws IOException {
        Map<String, JsonNode> registered = reflectConfig();
        String p = "dev.langchain4j.model.openai.internal.";
        for (String type : List.of(p + "chat.ChatCompletionRequest", p + "chat.ChatCompletionResponse",
                p + "chat.ChatCompletionResponse$Builder", p + "chat.Delta$Builder", p + "chat.ToolCall$Builder",
                p + "moderation.ModerationResponse", p + "shared.Usage$Builder")) {
            assertThat(registered).as(type).containsKey(type);
        }
    }

    @Test
    void theConfigurationIsTheOneQuarkusGeneratedForThisApplication() throws IOException {
        assertThat(reflectConfig()).containsKey(NativeReflectionConfigIT.class.getPackageName() + ".Problem")
                .hasSizeGreaterThan(100);
    }

    static Set<Class<?>> selfSerialized() {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.addAll(Arrays.asList(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets()));
        todo.addAll(Arrays.asList(ServerMessage.class.getPermittedSubclasses()));
        todo.add(dev.agentdock.run.events.RunEvent.class);
        Set<Class<?>> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!type.getName().startsWith("dev.agentdock.") || type.isInterface() || !seen.add(type)) {
                continue;
            }
            for (Method accessor : type.getDeclaredMethods()) {
                if (Modifier.isPublic(accessor.getModifiers()) && !Modifier.isStatic(accessor.getModifiers())
                        && accessor.getParameterCount() == 0) {
                    todo.add(accessor.getReturnType());
                }
            }
        }
        return seen;
    }

    private static Map<String, JsonNode> reflectConfig() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target", "native-sources"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        try (JarFile file = new JarFile(jar.toFile());
             InputStream in = file.getInputStream(file.getEntry("META-INF/native-image/reflect-config.json"))) {
            Map<String, JsonNode> byName = new HashMap<>();
            new ObjectMapper().readTree(in).forEach(entry -> byName.put(entry.path("name").asText(), entry));
            return byName;
        }
    }
}
