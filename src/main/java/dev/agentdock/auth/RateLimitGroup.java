package dev.agentdock.auth;

import io.vertx.core.http.HttpMethod;
import java.util.Optional;

/** The routes that share one limit: the expensive ones (model turns, tool runs, upstream proxies, key minting). */
public enum RateLimitGroup {
    /** POST /api/agents/{agent}/chat, /api/sessions/{id}/retry, /api/sdk/session/message, /api/agent/run */
    CHAT,
    /** /api/tools/** */
    TOOLS,
    /** /api/responses */
    RESPONSES,
    /** /api/session, /api/session2 (ephemeral Realtime keys) */
    BOOTSTRAP;

    public String key() {
        return name().toLowerCase();
    }

    /** The group a request counts against, if any. {@code path} is the normalized path. */
    public static Optional<RateLimitGroup> of(HttpMethod method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api/tools") || p.startsWith("/api/tools/")) {
            return Optional.of(TOOLS);
        }
        if (p.equals("/api/responses") || p.startsWith("/api/responses/")) {
            return Optional.of(RESPONSES);
        }
        if (p.equals("/api/session") || p.equals("/api/session2")) {
            return Optional.of(BOOTSTRAP);
        }
        if (method == HttpMethod.POST && (p.equals("/api/sdk/session/message") || p.equals("/api/agent/run")
                || matches(p, "/api/agents/", "/chat") || matches(p, "/api/sessions/", "/retry"))) {
            return Optional.of(CHAT);
        }
        return Optional.empty();
    }

    /** {@code prefix + one segment + suffix}. */
    private static boolean matches(String path, String prefix, String suffix) {
        if (!path.startsWith(prefix) || !path.endsWith(suffix)) {
            return false;
        }
        String segment = path.substring(prefix.length(), path.length() - suffix.length());
        return !segment.isEmpty() && segment.indexOf('/') < 0;
    }
}
