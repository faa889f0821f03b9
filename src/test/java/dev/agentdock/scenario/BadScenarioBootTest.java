package dev.agentdock.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole application, booted with a scenario directory holding a bad file, refuses to start and says why. */
@QuarkusMainTest
@TestProfile(BadScenarioBootTest.BadScenarioDirectory.class)
class BadScenarioBootTest {

    public static class BadScenarioDirectory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("bad-scenarios");
                Files.writeString(dir.resolve("x.yaml"), """
                        id: broken
                        name: Broken
                        default_root_agent: a
                        agents:
                          - name: a
                            description: first
                            instructions: Hi.
                            handoffs: [foo]
                          - name: b
                            description: second
                            instructions: Hi.
                            tools: [no_such_tool]
                        """);
                return Map.of("agentdock.scenarios.dir", dir.toString(), "agentdock.test.exit-after-start", "true");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void startFailsNamingTheFileAndTheFields(LaunchResult result) {
        String output = result.getOutput() + result.getErrorOutput();
        assertThat(output)
                .containsPattern("scenario file .*bad-scenarios\\d*/x\\.yaml: agents\\[0\\]\\.handoffs\\[0\\]: unknown agent 'foo' \\(known: a, b\\)")
                .containsPattern("scenario file .*/x\\.yaml: agents\\[1\\]\\.tools\\[0\\]: unknown tool 'no_such_tool'");
    }
}
