package dev.agentdock.run;

import java.util.UUID;

/**
 * A session's active run was ended outside the turn loop (the sweep took a stale one), or a queued run was left
 * without an instance to start it: the loop starts the session's next queued run, if any. A CDI event, so the sweep
 * does not call into the loop it sits below.
 */
public record SessionFreed(UUID sessionId) {
}
