/**
 * The run feature's HTTP surface: the chat, run, session and SDK resources, their request bodies and views, and
 * {@code RunService} (starting, queueing and stopping turns). May import every other run package, agent/, session/,
 * auth/ and common/; nothing outside imports it.
 */
package dev.agentdock.run.api;
