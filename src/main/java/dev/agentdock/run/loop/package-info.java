/**
 * The turn loop: {@code TurnEngine} starts a run on its own virtual thread and {@code TurnExecution} drives it
 * (context from stored steps, model stream, tool calls, again), with the step writes, metrics and tracing it needs.
 * May import run/, run/events, run/stop, run/model, agent/, tool/, guard/, the session event bus, session/ and
 * common/; never run/api or run/approval.
 */
package dev.agentdock.run.loop;
