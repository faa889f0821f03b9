package dev.agentdock.run.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How run events are kept in Redis for re-joins, and followed while it is away ({@code agentdock.run.*}). */
@ConfigMapping(prefix = "agentdock.run")
public interface RelayConfig {

    /** Events of a live run kept in Redis for re-joining from other instances. */
    @WithDefault("20000")
    int relayMaxEvents();

    /** How long a live run's relayed events stay in Redis (renewed when the run ends). */
    @WithDefault("1h")
    Duration relayTtl();

    /**
     * How long the relayed events of a run that ended (or paused) stay in Redis for a re-join racing the end; later
     * re-joins replay the run from the database.
     */
    @WithDefault("2m")
    Duration relayTtlAfterEnd();

    /**
     * While Redis is unavailable, how often a re-join of a run executing on another instance reads the run's new
     * steps and status from PostgreSQL (and tries the relay again).
     */
    @WithDefault("300ms")
    Duration followDatabasePoll();
}
