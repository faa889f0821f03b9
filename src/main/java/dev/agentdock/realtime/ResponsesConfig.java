package dev.agentdock.realtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/** The {@code /api/responses} proxy ({@code agentdock.responses.*}): its time limits (which models: common/ModelAllowlist). */
@ConfigMapping(prefix = "agentdock.responses")
public interface ResponsesConfig {

    /**
     * Top-level request fields passed through; any other (e.g. {@code service_tier}, {@code background},
     * {@code prompt}, {@code conversation}) is a 422: on the organisation key every tenant shares, they cost extra or
     * reach another tenant's stored objects. {@code previous_response_id} passes only when it names a response the
     * caller created through this proxy ({@link ResponseOwners}); any other is a 404.
     */
    @WithDefault("model,input,instructions,stream,temperature,top_p,max_output_tokens,tools,tool_choice,"
            + "parallel_tool_calls,text,reasoning,metadata,store,truncation,user,previous_response_id")
    Set<String> allowedFields();

    /** How long a relayed response may be continued by its creator ({@code previous_response_id}). */
    @WithDefault("30d")
    Duration previousResponseTtl();

    /** Tool types a request may declare ({@code mcp} would reach any server, {@code file_search} any vector store). */
    @WithDefault("function")
    Set<String> allowedToolTypes();

    /** The largest {@code max_output_tokens} a request may ask for. */
    @WithDefault("8192")
    int maxOutputTokens();

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
