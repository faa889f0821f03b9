package dev.agentdock.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The one scrubbing function for every text that came from somewhere else (an upstream error, an exception
 * message) before it reaches a client, a stored row or a log line: the server's own secrets (registered at start),
 * bearer credentials and anything shaped like an OpenAI key are replaced by {@code ***}.
 */
public final class Secrets {

    private static final Pattern KEY_LIKE = Pattern.compile("\\b(?:sk|ek|rk)-[A-Za-z0-9_*\\-]{4,}");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
    private static final int SHORTEST_SECRET = 8;
    private static final List<String> KNOWN = new CopyOnWriteArrayList<>();

    private Secrets() {
    }

    /** A secret this process holds (server key, JWT secret, service key): never to be shown anywhere. */
    public static void register(String secret) {
        if (secret != null && secret.strip().length() >= SHORTEST_SECRET && !KNOWN.contains(secret.strip())) {
            KNOWN.add(secret.strip());
        }
    }

    /** {@code text} without any secret; null stays null. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String safe = text;
        for (String secret : KNOWN) {
            safe = safe.replace(secret, "***");
        }
        safe = BEARER.matcher(safe).replaceAll("$1***");
        return KEY_LIKE.matcher(safe).replaceAll("***");
    }
}
