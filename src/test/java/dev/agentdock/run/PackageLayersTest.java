package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The run packages are layered, and a package names only those below it (its imports and qualified names in code;
 * comments aside): events, run, model, stop, loop, approval, api. Read from the sources, so a new file is covered.
 */
class PackageLayersTest {

    private static final List<String> LAYERS = List.of("run.events", "run", "run.model", "run.stop", "run.loop",
            "run.approval", "run.api");
    private static final Path MAIN = Path.of("src/main/java/dev/agentdock");
    private static final Pattern NAME = Pattern.compile("dev\\.agentdock\\.([a-z][a-z.]*)\\.([A-Z]\\w*)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void eachRunPackageNamesOnlyTheOnesBelowIt() throws IOException {
        Map<String, Set<String>> uses = uses();
        assertThat(uses.keySet()).as("every run package has its layer").allMatch(p -> !p.startsWith("run") || LAYERS.contains(p));
        List<String> upward = new ArrayList<>();
        uses.forEach((from, names) -> names.forEach(name -> {
            String to = name.substring(0, name.lastIndexOf('.'));
            if (LAYERS.contains(from) && LAYERS.contains(to) && LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
                upward.add(from + " -> " + name);
            }
        }));
        assertThat(upward).as("names of a higher run package").isEmpty();
        // the check sees what it should: the top layer does use the ones below
        assertThat(uses.get("run.api")).anyMatch(n -> n.startsWith("run.loop.")).anyMatch(n -> n.startsWith("run.events."));
    }

    /** Per package (under dev.agentdock), the classes of other packages its code names. */
    private static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(file.getParent()).toString().replace('/', '.');
                String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
                Matcher m = NAME.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1) + "." + m.group(2));
                    }
                }
            }
        }
        return uses;
    }
}
