package dev.agentdock.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.realtime.RealtimeItemsResource;
import dev.agentdock.realtime.RealtimeSessionResource;
import dev.agentdock.run.api.ChatResource;
import dev.agentdock.run.api.RunResource;
import dev.agentdock.run.api.SdkResource;
import dev.agentdock.run.api.SessionResource;
import dev.agentdock.tool.ToolsResource;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The limit group comes from the resource method a request matched, so no spelling of its path escapes it. */
class RateLimitGroupTest {

    /** "Class.method" → group, for every public method of the resource classes that count anything. */
    private static Map<String, RateLimitGroup> groups(Class<?>... resources) {
        Map<String, RateLimitGroup> groups = new TreeMap<>();
        for (Class<?> resource : resources) {
            RateLimited onClass = resource.getAnnotation(RateLimited.class);
            for (Method method : resource.getDeclaredMethods()) {
                if (!java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
                    continue;
                }
                RateLimited limited = method.getAnnotation(RateLimited.class);
                RateLimited effective = limited != null ? limited : onClass;
                if (effective != null) {
                    groups.put(resource.getSimpleName() + "." + method.getName(), effective.value());
                }
            }
        }
        return groups;
    }

    @Test
    void modelTurnsCountAsChat() {
        Map<String, RateLimitGroup> groups = groups(ChatResource.class, SessionResource.class, SdkResource.class);
        assertThat(groups).containsEntry("ChatResource.chatStream", RateLimitGroup.CHAT)
                .containsEntry("ChatResource.chatJson", RateLimitGroup.CHAT)
                .containsEntry("SessionResource.retry", RateLimitGroup.CHAT)
                .containsEntry("SdkResource.message", RateLimitGroup.CHAT)
                .containsEntry("SdkResource.run", RateLimitGroup.CHAT)
                .doesNotContainKeys("ChatResource.stop", "ChatResource.listSessions", "SessionResource.steps");
    }

    @Test
    void bulkWritesToolsAndKeysHaveTheirGroups() {
        Map<String, RateLimitGroup> groups = groups(SessionResource.class, SdkResource.class, ToolsResource.class,
                RealtimeSessionResource.class, RealtimeItemsResource.class, RunResource.class);
        assertThat(groups).containsEntry("SessionResource.fork", RateLimitGroup.WRITES)
                .containsEntry("SdkResource.create", RateLimitGroup.WRITES)
                .containsEntry("RealtimeItemsResource.append", RateLimitGroup.WRITES)
                .containsEntry("ToolsResource.list", RateLimitGroup.TOOLS)
                .containsEntry("ToolsResource.execute", RateLimitGroup.TOOLS)
                .containsEntry("RealtimeSessionResource.session", RateLimitGroup.BOOTSTRAP)
                .containsEntry("RealtimeSessionResource.session2", RateLimitGroup.BOOTSTRAP);
        assertThat(Arrays.stream(RunResource.class.getDeclaredMethods()).map(m -> m.getAnnotation(RateLimited.class)))
                .allMatch(a -> a == null);
    }
}
