package dev.agentdock.common;

import java.net.URI;

/**
 * The one-line messages a newcomer sees when PostgreSQL or Redis is missing at start: which one, where the service
 * looked (credentials left out), and the Debian command that starts it.
 */
public final class BackingServices {

    static final String START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

    private BackingServices() {
    }

    static String postgresUnreachable(String jdbcUrl, String reason) {
        return "PostgreSQL is not reachable at " + where(jdbcUrl) + " (" + reason + "); start it on Debian with: "
                + START_POSTGRES + " (or point DB_URL at a running one)";
    }

    static String postgresRefused(String jdbcUrl, String reason) {
        return "PostgreSQL at " + where(jdbcUrl) + " refused the service (" + reason + "); create the database on "
                + "Debian with: runuser -u postgres -- createdb " + database(jdbcUrl)
                + " (or set DB_URL, DB_USER, DB_PASSWORD)";
    }

    static String redisUnreachable(String redisUrl, String reason) {
        URI uri = URI.create(redisUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        return "Redis is not reachable at " + where(redisUrl) + " (" + reason + "); the service runs degraded "
                + "(no cross-instance events or stop signals) until it is; start it on Debian with: redis-server "
                + "--daemonize yes --bind 127.0.0.1 --port " + port + " --save \"\" --appendonly no "
                + "(or point REDIS_URL at a running one)";
    }

    /** scheme://host:port/path, never user info or query parameters (either may carry a password). */
    static String where(String url) {
        String raw = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        try {
            URI uri = URI.create(raw);
            String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
            String path = uri.getPath() == null ? "" : uri.getPath();
            return (url.startsWith("jdbc:") ? "jdbc:" : "") + uri.getScheme() + "://" + uri.getHost() + port + path;
        } catch (IllegalArgumentException e) {
            return "(an unparsable URL)";
        }
    }

    static String database(String jdbcUrl) {
        String path = where(jdbcUrl).replaceFirst("^.*?://[^/]*/?", "");
        return path.isEmpty() ? "postgres" : path;
    }
}
