package dev.agentdock.session;

import jakarta.enterprise.context.ApplicationScoped;
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

    private final SessionRepository sessions;
    private final int maxAttempts;

    VerifiedCustomers(SessionRepository sessions,
                      @ConfigProperty(name = "agentdock.tools.max-verification-attempts", defaultValue = "5") int maxAttempts) {
        this.sessions = sessions;
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
        return sessions.findVerifiedCustomer(sessionId);
    }

    /**
     * Claims one verification attempt of the session: the attempts used so far, this one included, or empty when the
     * session has used them all (or does not exist).
     */
    public Optional<Integer> claimAttempt(UUID sessionId) {
        return sessions.claimVerificationAttempt(sessionId, maxAttempts);
    }

    /** Records the caller of the session as {@code customerId}, giving back the attempt this verification claimed. */
    public void verified(UUID sessionId, String customerId) {
        sessions.verified(sessionId, customerId);
    }
}
