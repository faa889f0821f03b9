package dev.agentdock.run;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the turn engine ({@code agentdock.run.*}). */
@ConfigMapping(prefix = "agentdock.run")
public interface RunConfig {

    /** Model calls per run before it ends with {@code max_steps_reached}. */
    @WithDefault("10")
    int maxSteps();

    /** History messages sent to the model; the oldest whole turns go first. */
    @WithDefault("200")
    int maxHistoryMessages();

    /** Time limit of one model call, first byte to last. */
    @WithDefault("120s")
    Duration modelTimeout();

    /** Longest silence tolerated inside a model stream before it counts as stalled. */
    @WithDefault("30s")
    Duration streamIdleTimeout();

    /** Streamed assistant text is written to its row at most this often (and at the end). */
    @WithDefault("250ms")
    Duration flushInterval();

    /** How often an instance refreshes the heartbeat of the runs it owns. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** A running run whose heartbeat is older than this is considered lost with its instance. */
    @WithDefault("30s")
    Duration staleAfter();

    /** How often every instance looks for runs whose instance died. */
    @WithDefault("10s")
    Duration sweepInterval();

    /**
     * How long after start an instance's first sweep waits (then one every {@code sweep-interval}). The test profile
     * sets it long, so that no sweep runs there unless a test asks: a start-up sweep firing while a test had just
     * stored stale rows took them from under it.
     */
    @WithDefault("0s")
    Duration sweepDelay();

    /** Retries of a model call answered 429 before its first token. */
    @WithDefault("2")
    int rateLimitRetries();

    /**
     * Retries of a model call whose pooled connection was found closed before any response (a keep-alive reuse
     * race; nothing was produced, so nothing is repeated).
     */
    @WithDefault("4")
    int connectionRetries();

    /** Pooled keep-alive connections to the model API per instance; calls beyond that wait for one. */
    @WithDefault("512")
    int upstreamConnections();

    /** First backoff of those retries; doubled each time. An upstream Retry-After replaces it, up to the cap below. */
    @WithDefault("250ms")
    Duration rateLimitBackoff();

    /** The longest wait before a 429 retry, whatever the upstream's Retry-After asks. */
    @WithDefault("10s")
    Duration rateLimitMaxWait();

    /** How long an interrupting request waits for the active run to let go. */
    @WithDefault("10s")
    Duration interruptWait();

    /**
     * How long the last writes of a run that lost its database (its step's text, its end) are retried; after that
     * the run is left to the sweep, which marks it interrupted once the database is back.
     */
    @WithDefault("2m")
    Duration finishRetryFor();

    /**
     * On SIGTERM, how long running turns may go on before they are stopped; with {@link #drainStopWait()} and the
     * HTTP shutdown it stays below fly.toml's {@code kill_timeout} (30 s).
     */
    @WithDefault("20s")
    Duration drainTimeout();

    /** After the drain deadline, how long the stopped turns get to store their end and tell their clients. */
    @WithDefault("5s")
    Duration drainStopWait();

    /** Whether SIGTERM drains (off: the JVM's default, immediate shutdown). */
    @WithDefault("true")
    boolean drainOnSigterm();

    /** Model used when an agent does not name one. */
    @WithDefault("gpt-4o-mini")
    String defaultModel();
}
