package dev.agentdock.agent;

import io.quarkus.arc.DefaultBean;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The configured default agent, used when no scenario registry provides agents. */
@ApplicationScoped
@DefaultBean
public class ConfiguredAgentDirectory implements AgentDirectory {

    /** The default agent's name when none is configured; SDK sessions borrow its tools. */
    public static final String DEFAULT_NAME = "assistant";

    @ConfigMapping(prefix = "agentdock.run.default-agent")
    public interface DefaultAgentConfig {
        @WithDefault("assistant")
        String name();

        @WithDefault("You are a helpful assistant embedded in a web app. Answer concisely. Use tools when they help.")
        String instructions();

        @WithDefault("gpt-4o-mini")
        String model();

        @WithDefault("echo,get_current_time")
        List<String> tools();

        /** Tools whose calls wait for a human's approval. */
        java.util.Optional<List<String>> approvalTools();
    }

    private final AgentSpec agent;

    ConfiguredAgentDirectory(DefaultAgentConfig config) {
        this.agent = new AgentSpec(config.name(), config.instructions(), config.model(), config.tools(),
                Set.copyOf(config.approvalTools().orElse(List.of())));
    }

    @Override
    public Optional<AgentSpec> find(String agentName) {
        return agent.name().equals(agentName) ? Optional.of(agent) : Optional.empty();
    }
}
