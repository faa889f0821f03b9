/**
 * Human decisions on the tool calls of paused runs, and resuming the run once every call is decided. May import
 * run/loop, run/stop, agent/, tool/, session/ and common/.
 */
package dev.agentdock.run.approval;
