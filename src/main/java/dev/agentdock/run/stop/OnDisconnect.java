package dev.agentdock.run.stop;

/**
 * What a run does when the client streaming it goes away ({@code ?on_disconnect=}): {@code stop} (the default) stops
 * it as a stop request would ({@code run_cancelled}, {@code interrupted}); {@code continue} lets it run to its end,
 * and a re-join ({@code GET /api/runs/{id}/stream}) follows it.
 */
public enum OnDisconnect {
    STOP, CONTINUE
}
