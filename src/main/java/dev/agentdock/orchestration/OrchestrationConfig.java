package dev.agentdock.orchestration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the push channel ({@code agentdock.orchestration.*}). */
@ConfigMapping(prefix = "agentdock.orchestration")
public interface OrchestrationConfig {

    /** Events kept per session (and per user) for reconnecting clients. */
    @WithDefault("1000")
    int replayMaxEvents();

    /** How often each instance checks that Redis is reachable (readiness and the degraded notice follow it). */
    @WithDefault("2s")
    Duration probeInterval();

    /** Model of the root-agent classifier behind {@code /api/orchestrate}. */
    @WithDefault("gpt-4o-mini")
    String classifierModel();

    /** Time limit of a classification; past it the keyword fallback decides. */
    @WithDefault("3s")
    Duration classifierTimeout();

    /** How long a session's replay buffer lives after its last event. */
    @WithDefault("1h")
    Duration replayTtl();
}
