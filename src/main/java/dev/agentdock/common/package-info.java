/** What two or more features share: problem+json errors, ids, instance identity, HTTP guards. */
package dev.agentdock.common;
