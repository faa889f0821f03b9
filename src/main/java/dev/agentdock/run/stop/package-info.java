/**
 * How runs stop: {@code RunStops} (stop, cancel, client gone by {@code OnDisconnect}, wait until stopped, across
 * instances), {@code RunKeeper} (heartbeat and the sweep of stale runs) and {@code RunDrain} (SIGTERM). May import
 * run/, run/events, run/loop (to start a queued run), session/, orchestration/ and common/.
 */
package dev.agentdock.run.stop;
