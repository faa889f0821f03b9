/**
 * The turn engine's front and what its sub-packages share: {@link dev.agentdock.run.RunService} (starting and
 * stopping turns), the runs executing here ({@code ActiveRun}, {@code ActiveRuns}), {@code RunConfig}, guardrails and
 * outcomes. Sub-packages: {@code api} (HTTP), {@code loop} (the turn loop), {@code events} (typed events, their
 * transport and replay), {@code stop} (cancellation, heartbeat and sweep, drain), {@code approval}, {@code model}.
 */
package dev.agentdock.run;
