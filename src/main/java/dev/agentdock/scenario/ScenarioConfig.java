package dev.agentdock.scenario;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where scenarios come from besides the bundled examples. */
@ConfigMapping(prefix = "agentdock.scenarios")
public interface ScenarioConfig {

    /** Directory of {@code *.yaml} / {@code *.yml} scenario files; skipped if it does not exist. */
    @WithDefault("deploy/scenarios")
    String dir();

    /** The chat model of scenario agents that name none. */
    @WithDefault("gpt-4o-mini")
    String defaultModel();
}
