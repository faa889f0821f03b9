package dev.agentdock.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Runtime tuning of the simulator. The on/off switch {@code agentdock.simulator.enabled} is a build property read by
 * {@code @IfBuildProperty}, so turning it off removes the beans instead of merely configuring them.
 */
@ConfigMapping(prefix = "agentdock.simulator")
public interface SimulatorConfig {

    /**
     * Mirror of the build-time switch. Mapped only because a mapping rejects unknown keys under its own prefix
     * (SRCFG00050 at boot); changing it at runtime has no effect.
     */
    @WithDefault("true")
    boolean enabled();

    /** Delay before the first content token (time to first token). */
    @WithDefault("PT0S")
    Duration firstTokenDelay();

    /** Delay between two streamed tokens. */
    @WithDefault("PT0S")
    Duration tokenDelay();

    /** Words in a reply when neither {@code [[tokens:N]]} nor {@code x-sim-reply-tokens} says otherwise. */
    @WithDefault("24")
    int defaultReplyTokens();

    /** How long a {@code [[fail:stall]]} stream hangs before the server gives up and closes the connection. */
    @WithDefault("PT60S")
    Duration stallTimeout();
}
