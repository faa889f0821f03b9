/**
 * A run's events: the sealed {@code RunEvent} records and their {@code Draft}s, {@code RunEnd}, the one codec and the
 * SSE framing, the live channel, the Redis relay ({@code RelayConfig}), following a run from any instance and the
 * replay from PostgreSQL. May import session/ and common/; no other run package (the runs executing here reach it as
 * {@code LiveChannels}).
 */
package dev.agentdock.run.events;
