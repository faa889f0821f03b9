package dev.agentdock.tool;

import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether a request comes from a trusted backend: the authentication gate has verified its {@code X-Service-Key}
 * (a wrong key never gets this far: it is a 401 there).
 */
@ApplicationScoped
public class ServiceKeyCheck {

    public static final String HEADER = "X-Service-Key";

    private final CurrentUser user;

    ServiceKeyCheck(CurrentUser user) {
        this.user = user;
    }

    public boolean isTrustedBackend() {
        return user.caller().service();
    }

    /** Passes for service-key callers; 403 for everybody else. */
    public void requireTrustedBackend(String presentedKey) {
        if (!isTrustedBackend()) {
            throw new DomainException.Forbidden("without session_id only a trusted backend may execute tools; "
                    + "send the service key in " + HEADER + ", or name a session_id of yours");
        }
    }
}
