package dev.agentdock.realtime;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** OpenAI is {@link FakeOpenAi}; timeouts short enough to test. */
public class FakeOpenAiProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeOpenAi.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // no voice call takeover here: calls other suites left attached would be looked up on the fake OpenAI
        return Map.of("agentdock.realtime.connect-timeout", "1s", "agentdock.realtime.request-timeout", "1500ms",
                "agentdock.voice.takeover-interval", "1h");
    }
}
