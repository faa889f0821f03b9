package dev.agentdock.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import io.quarkus.logging.Log;

/**
 * Reads the bundled scenarios (named in {@code scenarios/index.txt} on the classpath, because listing a classpath
 * directory does not work in a native image) and then every {@code *.yaml}/{@code *.yml} file of the scenario
 * directory. A directory file replaces the bundled scenario with the same id; two files of the same source with one
 * id are an error. Every problem of every file is reported at once.
 */
final class ScenarioLoader {

    static final String BUNDLED_INDEX = "scenarios/index.txt";

    private final ScenarioValidator validator;
    private final String defaultModel;

    ScenarioLoader(ScenarioValidator validator, String defaultModel) {
        this.validator = validator;
        this.defaultModel = defaultModel;
    }

    /** The usable scenarios by id, in id order; or a {@link ScenarioLoadException} listing every problem. */
    SortedMap<String, Scenario> load(ClassLoader classpath, Path dir) {
        List<String> problems = new ArrayList<>();
        Map<String, Loaded> bundled = new LinkedHashMap<>();
        for (String name : bundledNames(classpath)) {
            String file = "classpath:scenarios/" + name;
            try (InputStream in = classpath.getResourceAsStream("scenarios/" + name)) {
                if (in == null) {
                    problems.add(ScenarioValidator.problem(BUNDLED_INDEX, "", "names '" + name + "', which is not on the classpath"));
                    continue;
                }
                readInto(file, in, bundled, problems);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Loaded> local = new LinkedHashMap<>();
        for (Path path : directoryFiles(dir)) {
            try (InputStream in = Files.newInputStream(path)) {
                readInto(path.toString(), in, local, problems);
            } catch (IOException e) {
                problems.add(ScenarioValidator.problem(path.toString(), "", "cannot be read: " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ScenarioLoadException(problems);
        }
        SortedMap<String, Scenario> all = new TreeMap<>();
        bundled.forEach((id, loaded) -> all.put(id, loaded.scenario()));
        local.forEach((id, loaded) -> {
            if (all.put(id, loaded.scenario()) != null) {
                Log.infof("scenario '%s' from %s replaces the bundled one", id, loaded.file());
            }
        });
        all.replaceAll((id, scenario) -> withDefaultModel(scenario));
        return Collections.unmodifiableSortedMap(all);
    }

    private void readInto(String file, InputStream in, Map<String, Loaded> into, List<String> problems) {
        Scenario scenario;
        try {
            scenario = ScenarioFileReader.read(file, in);
        } catch (ScenarioLoadException e) {
            problems.addAll(e.problems());
            return;
        }
        List<String> found = validator.problems(file, scenario);
        if (!found.isEmpty()) {
            problems.addAll(found);
            return;
        }
        Loaded earlier = into.putIfAbsent(scenario.id(), new Loaded(file, scenario));
        if (earlier != null) {
            problems.add(ScenarioValidator.problem(file, "id", "duplicate scenario id '" + scenario.id() + "' (also in " + earlier.file() + ")"));
        }
    }

    private Scenario withDefaultModel(Scenario s) {
        List<ScenarioAgent> agents = s.agents().stream()
                .map(a -> a.model() == null || a.model().isBlank() ? a.withModel(defaultModel) : a).toList();
        return new Scenario(s.id(), s.name(), s.description(), s.defaultRootAgent(), s.guardrails(), agents);
    }

    private static List<String> bundledNames(ClassLoader classpath) {
        try (InputStream in = classpath.getResourceAsStream(BUNDLED_INDEX)) {
            if (in == null) {
                return List.of();
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> directoryFiles(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenario directory " + dir, e);
        }
    }

    private record Loaded(String file, Scenario scenario) {
    }
}
