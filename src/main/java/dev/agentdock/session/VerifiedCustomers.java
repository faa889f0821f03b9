package dev.agentdock.session;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The customer a session's caller proved to be, kept on the session row (never in the prompt or a client's hands),
 * and the verification attempts the session has used. An attempt is claimed before the identity is checked, in one
 * statement, so parallel guesses cannot exceed {@code agentdock.tools.max-verification-attempts}; a verification
 * that succeeds gives its attempt back, so only failures count.
 */
@ApplicationScoped
public class VerifiedCustomers {

    private final AgroalDataSource db;
    private final int maxAttempts;

    VerifiedCustomers(AgroalDataSource db,
                      @ConfigProperty(name = "agentdock.tools.max-verification-attempts", defaultValue = "5") int maxAttempts) {
        this.db = db;
        this.maxAttempts = maxAttempts;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The session's verified customer id, if its caller was verified. */
    public Optional<String> of(UUID sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        return query("SELECT verified_customer_id FROM ai_agent_sessions WHERE session_id = ?", sessionId);
    }

    /**
     * Claims one verification attempt of the session: the attempts used so far, this one included, or empty when the
     * session has used them all (or does not exist).
     */
    public Optional<Integer> claimAttempt(UUID sessionId) {
        return query("""
                UPDATE ai_agent_sessions SET verification_attempts = verification_attempts + 1
                 WHERE session_id = ? AND verification_attempts < ?
                RETURNING verification_attempts
                """, sessionId, maxAttempts).map(Integer::valueOf);
    }

    /** Records the caller of the session as {@code customerId}, giving back the attempt this verification claimed. */
    public void verified(UUID sessionId, String customerId) {
        query("""
                UPDATE ai_agent_sessions SET verified_customer_id = ?,
                       verification_attempts = greatest(verification_attempts - 1, 0)
                 WHERE session_id = ?
                RETURNING verified_customer_id
                """, customerId, sessionId);
    }

    private Optional<String> query(String sql, Object... parameters) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read or record a session's verified customer", e);
        }
    }
}
