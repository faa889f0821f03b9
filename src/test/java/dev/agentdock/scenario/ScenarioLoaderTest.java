package dev.agentdock.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader and validator on files in a temporary directory: every bad file is refused with file and field named. */
class ScenarioLoaderTest {

    private static final Set<String> TOOLS = Set.of("echo", "lookup_order", "process_return");
    private static final ClassLoader NOTHING_BUNDLED = new URLClassLoader(new URL[0], null);

    @TempDir
    Path dir;

    private final ScenarioLoader loader = new ScenarioLoader(new ScenarioValidator(TOOLS::contains, List.copyOf(TOOLS)), "gpt-4o-mini");

    private static final String GOOD = """
            id: shop
            name: Shop
            default_root_agent: front
            agents:
              - name: front
                description: greets
                instructions: Greet.
                tools: [echo]
                handoffs: [back]
              - name: back
                description: returns
                instructions: Do returns.
                model: gpt-4o
                voice: coral
                tools: [lookup_order, process_return]
                approval_tools: [process_return]
            """;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private String refusal(String name, String yaml) throws IOException {
        Path file = write(name, yaml);
        Throwable thrown = org.junit.jupiter.api.Assertions.assertThrows(ScenarioLoadException.class,
                () -> loader.load(NOTHING_BUNDLED, dir));
        assertThat(thrown.getMessage()).contains("scenario file " + file);
        return thrown.getMessage();
    }

    @Test
    void aGoodFileLoadsWithDefaultsFilledIn() throws IOException {
        write("shop.yaml", GOOD);
        SortedMap<String, Scenario> loaded = loader.load(NOTHING_BUNDLED, dir);
        Scenario shop = loaded.get("shop");
        assertThat(shop.agentNames()).containsExactly("front", "back");
        assertThat(shop.agent("front").orElseThrow().model()).isEqualTo("gpt-4o-mini");
        assertThat(shop.agent("back").orElseThrow().model()).isEqualTo("gpt-4o");
        assertThat(shop.agent("back").orElseThrow().approvalTools()).containsExactly("process_return");
        assertThat(shop.guardrails()).isEqualTo(GuardrailSettings.DEFAULT);
        assertThat(shop.description()).isEmpty();
    }

    @Test
    void aMissingDirectoryIsSkipped() {
        assertThat(loader.load(NOTHING_BUNDLED, dir.resolve("absent"))).isEmpty();
    }

    @Test
    void anUnknownToolIsRefusedWithItsPath() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("tools: [echo]", "tools: [echo, teleport]"));
        assertThat(message).contains("agents[0].tools[1]: unknown tool 'teleport'").contains("known: ");
    }

    @Test
    void anUnknownHandoffIsRefusedListingTheKnownAgents() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("handoffs: [back]", "handoffs: [back, foo]"));
        assertThat(message).contains("agents[0].handoffs[1]: unknown agent 'foo' (known: front, back)");
    }

    @Test
    void duplicateAgentNamesAreRefused() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("- name: back", "- name: front").replace("handoffs: [back]", ""));
        assertThat(message).contains("agents[1].name: duplicate agent name 'front'");
    }

    @Test
    void aMissingDefaultRootIsRefused() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("default_root_agent: front\n", ""));
        assertThat(message).contains("default_root_agent: is required");
    }

    @Test
    void anUnknownDefaultRootIsRefused() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("default_root_agent: front", "default_root_agent: boss"));
        assertThat(message).contains("default_root_agent: unknown agent 'boss' (known: front, back)");
    }

    @Test
    void malformedYamlIsRefusedWithTheLine() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("    tools: [echo]", "    tools: [echo\n  - ]: :"));
        assertThat(message).contains("malformed YAML").containsPattern("line \\d+");
    }

    @Test
    void missingRequiredFieldsAreEachNamed() throws IOException {
        String message = refusal("x.yaml", """
                default_root_agent: a
                agents:
                  - name: a
                  - description: nameless
                    instructions: hi
                """);
        assertThat(message).contains(": id: is required").contains(": name: is required")
                .contains("agents[0].instructions: is required").contains("agents[0].description: is required")
                .contains("agents[1].name: is required");
    }

    @Test
    void anUnknownFieldIsRefusedByPathAndLine() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("    voice: coral", "    voise: coral"));
        assertThat(message).contains("agents[1].voise: unknown field 'voise'");
    }

    @Test
    void aWrongTypeNamesTheFieldAndTheExpectedType() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("handoffs: [back]", "handoffs: {to: back}"));
        assertThat(message).contains("agents[0].handoffs: wrong type, expected a list");
    }

    @Test
    void aBadPiiPolicyIsRefused() throws IOException {
        String message = refusal("x.yaml", GOOD + "guardrails:\n  output: {moderation: true, pii: shred}\n");
        assertThat(message).contains("guardrails.output.pii: ").contains("is not one of allow, redact, block");
    }

    @Test
    void approvalToolsMustBeAmongTheAgentsTools() throws IOException {
        String message = refusal("x.yaml", GOOD.replace("approval_tools: [process_return]", "approval_tools: [echo]"));
        assertThat(message).contains("agents[1].approval_tools[0]: 'echo' is not one of the agent's tools");
    }

    @Test
    void duplicateScenarioIdsAreRefusedNamingBothFiles() throws IOException {
        write("a.yaml", GOOD);
        Path second = write("b.yaml", GOOD);
        assertThatThrownBy(() -> loader.load(NOTHING_BUNDLED, dir))
                .isInstanceOf(ScenarioLoadException.class)
                .hasMessageContaining("scenario file " + second + ": id: duplicate scenario id 'shop' (also in " + dir.resolve("a.yaml") + ")");
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnce() throws IOException {
        write("a.yaml", GOOD.replace("tools: [echo]", "tools: [nope]"));
        write("b.yaml", "id: x\nname: [unclosed\n");
        assertThatThrownBy(() -> loader.load(NOTHING_BUNDLED, dir))
                .hasMessageContaining("2 problems")
                .hasMessageContaining("a.yaml: agents[0].tools[0]")
                .hasMessageContaining("b.yaml: malformed YAML (line 2, column ")
                .hasMessageContaining("while parsing a flow sequence: expected ',' or ']'");
    }

    @Test
    void aDirectoryFileReplacesTheBundledScenarioWithTheSameId(@TempDir Path classpath) throws IOException {
        Files.createDirectories(classpath.resolve("scenarios"));
        Files.writeString(classpath.resolve("scenarios/index.txt"), "# bundled\nshop.yaml\n");
        Files.writeString(classpath.resolve("scenarios/shop.yaml"), GOOD);
        write("shop.yaml", GOOD.replace("name: Shop", "name: Local shop"));
        try (URLClassLoader bundled = new URLClassLoader(new URL[]{classpath.toUri().toURL()}, null)) {
            assertThat(loader.load(bundled, dir.resolve("absent")).get("shop").name()).isEqualTo("Shop");
            assertThat(loader.load(bundled, dir).get("shop").name()).isEqualTo("Local shop");
        }
    }

    @Test
    void anIndexEntryWithoutItsFileIsRefused(@TempDir Path classpath) throws IOException {
        Files.createDirectories(classpath.resolve("scenarios"));
        Files.writeString(classpath.resolve("scenarios/index.txt"), "ghost.yaml\n");
        try (URLClassLoader bundled = new URLClassLoader(new URL[]{classpath.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> loader.load(bundled, dir)).hasMessageContaining("scenarios/index.txt: names 'ghost.yaml'");
        }
    }
}
