package dev.agentdock.scenario;

import dev.agentdock.common.DomainException;
import dev.agentdock.tool.ToolRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The scenarios this instance serves, loaded and validated once at start: a bad scenario file stops the service
 * from starting rather than failing a conversation later.
 */
@Startup
@ApplicationScoped
public class ScenarioRegistry {

    private final SortedMap<String, Scenario> scenarios;

    ScenarioRegistry(ScenarioConfig config, ToolRegistry tools) {
        ScenarioValidator validator = new ScenarioValidator(tools::has,
                tools.all().stream().map(t -> t.name()).toList());
        ClassLoader classpath = Thread.currentThread().getContextClassLoader();
        this.scenarios = new ScenarioLoader(validator, config.defaultModel()).load(classpath, Path.of(config.dir()));
        Log.infof("loaded %d scenarios: %s", scenarios.size(), String.join(", ", scenarios.keySet()));
    }

    /** All scenarios, in id order. */
    public Collection<Scenario> all() {
        return scenarios.values();
    }

    public Optional<Scenario> find(String id) {
        return Optional.ofNullable(id == null ? null : scenarios.get(id));
    }

    /** The scenario, or a 404 problem. */
    public Scenario require(String id) {
        return find(id).orElseThrow(() -> new DomainException.NotFound("scenario", id));
    }
}
