/**
 * A run's events: the sealed {@code RunEvent} records and their {@code Draft}s, {@code RunEnd}, the one codec and the
 * SSE framing, the live channel, the Redis relay, following a run from any instance and the replay from PostgreSQL.
 * May import run/ (config, active runs), session/ and common/; never run/loop, run/stop or run/api.
 */
package dev.agentdock.run.events;
