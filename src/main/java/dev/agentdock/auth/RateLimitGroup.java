package dev.agentdock.auth;

/**
 * The routes that share one limit: the expensive ones (model turns, tool runs, upstream proxies, key minting) and
 * the ones that store data in bulk. A resource method names its group with {@link RateLimited}.
 */
public enum RateLimitGroup {
    /** Starting a model turn: chat, retry, SDK message, /api/agent/run */
    CHAT,
    /** /api/tools/** */
    TOOLS,
    /** /api/responses */
    RESPONSES,
    /** /api/session, /api/session2 (ephemeral Realtime keys) */
    BOOTSTRAP,
    /** Writes that store many rows at once: realtime items, fork, SDK session create, drafts */
    WRITES;

    public String key() {
        return name().toLowerCase();
    }
}
