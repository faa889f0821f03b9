/**
 * How runs stop: {@code RunStops} (stop, cancel, client gone by {@code OnDisconnect}, wait until stopped, across
 * instances), {@code RunKeeper} (heartbeat and the sweep of stale runs), {@code RunDrain} (SIGTERM) and
 * {@code DeferredWrites} (a run's end retried while the database is away). May import run/, run/events, session/,
 * orchestration/ and common/; never run/loop: a session the sweep frees is announced as {@code SessionFreed}.
 */
package dev.agentdock.run.stop;
