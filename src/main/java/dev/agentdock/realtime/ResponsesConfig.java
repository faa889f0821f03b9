package dev.agentdock.realtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/** The {@code /api/responses} proxy ({@code agentdock.responses.*}): which models it lets through and its time limits. */
@ConfigMapping(prefix = "agentdock.responses")
public interface ResponsesConfig {

    /** Models a request may name, exactly (the service pays for them); anything else is refused with 422. */
    @WithDefault("gpt-4.1,gpt-4.1-mini,gpt-4.1-nano,gpt-4o,gpt-4o-mini,gpt-5,gpt-5-mini,gpt-5-nano,o4-mini")
    Set<String> allowedModels();

    /** Time to open a connection to OpenAI (or to get one from the pool). */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * Time until OpenAI starts answering. A non-streamed response arrives in one piece, so for it this is the whole
     * call; a stream's first event comes as soon as the response is created. A stream's head alone does not count:
     * this is also the wait from it to the stream's first chunk.
     */
    @WithDefault("120s")
    Duration firstByteTimeout();

    /**
     * Longest silence between two chunks of a stream before it counts as stalled and is ended with an error event
     * (a problem, if the stall came before any whole event was relayed).
     */
    @WithDefault("30s")
    Duration streamIdleTimeout();

    /** Connections to OpenAI this instance keeps at most; each open stream holds one. */
    @WithDefault("1024")
    int maxConnections();
}
