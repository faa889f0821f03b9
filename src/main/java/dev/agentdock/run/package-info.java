/**
 * What the run sub-packages share, below all of them but {@code events}: the runs executing here ({@code ActiveRun},
 * {@code ActiveRuns}), {@code RunConfig}, {@code RunMetrics}, guardrails, outcomes, the multitask policies and
 * {@code SessionFreed}. Sub-packages, lowest first: {@code events} (typed events, their transport and replay),
 * {@code model}, {@code stop} (cancellation, heartbeat and sweep, drain, deferred writes), {@code loop} (the turn
 * loop), {@code approval}, {@code api} (HTTP and {@code RunService}, which starts and stops turns). A package imports
 * only those below it ({@code PackageLayersTest}).
 */
package dev.agentdock.run;
