package dev.agentdock.common;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.runtime.PreventFurtherStepsException;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Flyway's migration at start is the first thing that talks to PostgreSQL, so the reachability check sits here,
 * just before it: a missing server or database stops the start with one line (Quarkus prints a
 * {@link PreventFurtherStepsException}'s message alone) instead of Flyway's stack trace.
 */
@Singleton
public class PostgresStartupCheck implements FlywayConfigurationCustomizer {

    private final String jdbcUrl;

    PostgresStartupCheck(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        try (Connection ignored = configuration.getDataSource().getConnection()) {
            // reachable, and this user may use this database
        } catch (SQLException e) {
            throw new PreventFurtherStepsException(describe(jdbcUrl, e), 1);
        }
    }

    static String describe(String jdbcUrl, SQLException e) {
        SQLException first = e;
        while (first.getSQLState() == null && first.getCause() instanceof SQLException cause) {
            first = cause;
        }
        String state = first.getSQLState() == null ? "" : first.getSQLState();
        String reason = rootMessage(first);
        // 08xxx: no connection at all; anything else came from a server that answered (no database, bad login)
        return state.startsWith("08") || state.isEmpty()
                ? BackingServices.postgresUnreachable(jdbcUrl, reason)
                : BackingServices.postgresRefused(jdbcUrl, reason);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
