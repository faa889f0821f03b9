package dev.agentdock.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitGroupTest {

    private static Optional<RateLimitGroup> group(HttpMethod method, String path) {
        return RateLimitGroup.of(method, path);
    }

    @Test
    void chatRoutesAreThePostsThatStartATurn() {
        assertThat(group(HttpMethod.POST, "/api/agents/assistant/chat")).contains(RateLimitGroup.CHAT);
        assertThat(group(HttpMethod.POST, "/api/sessions/0b7c/retry")).contains(RateLimitGroup.CHAT);
        assertThat(group(HttpMethod.POST, "/api/sdk/session/message")).contains(RateLimitGroup.CHAT);
        assertThat(group(HttpMethod.POST, "/api/agent/run")).contains(RateLimitGroup.CHAT);
        assertThat(group(HttpMethod.GET, "/api/agents/assistant/chat")).isEmpty();
        assertThat(group(HttpMethod.POST, "/api/agents/assistant/stop")).isEmpty();
        assertThat(group(HttpMethod.POST, "/api/agents/a/b/chat")).isEmpty();
        assertThat(group(HttpMethod.POST, "/api/agents//chat")).isEmpty();
    }

    @Test
    void toolsResponsesAndBootstrapAreWholePrefixes() {
        assertThat(group(HttpMethod.POST, "/api/tools/execute")).contains(RateLimitGroup.TOOLS);
        assertThat(group(HttpMethod.GET, "/api/tools")).contains(RateLimitGroup.TOOLS);
        assertThat(group(HttpMethod.POST, "/api/responses")).contains(RateLimitGroup.RESPONSES);
        assertThat(group(HttpMethod.POST, "/api/session")).contains(RateLimitGroup.BOOTSTRAP);
        assertThat(group(HttpMethod.GET, "/api/session2/")).contains(RateLimitGroup.BOOTSTRAP);
        assertThat(group(HttpMethod.GET, "/api/sessions/x/steps")).isEmpty();
        assertThat(group(HttpMethod.GET, "/api/toolsmith")).isEmpty();
        assertThat(group(HttpMethod.GET, "/api/health")).isEmpty();
    }
}
