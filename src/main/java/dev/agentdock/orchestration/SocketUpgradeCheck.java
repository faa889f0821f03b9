package dev.agentdock.orchestration;

import dev.agentdock.auth.Authenticator;
import dev.agentdock.common.DomainException;
import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Authorises a socket at the HTTP upgrade, not per message: the caller must authenticate, and only the owner of a
 * session may follow it. Anything else is refused before the upgrade (401, or 404 as if the session did not exist).
 */
@ApplicationScoped
public class SocketUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> USER = UserData.TypedKey.forString("agentdock.user");

    private final Authenticator authenticator;
    private final SessionRepository sessions;

    SocketUpgradeCheck(Authenticator authenticator, SessionRepository sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return Uni.createFrom().item(() -> decide(context)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private CheckResult decide(HttpUpgradeContext context) {
        String user;
        try {
            user = authenticator.authenticate(context.httpRequest()).userId();
        } catch (DomainException.Unauthorized e) {
            return CheckResult.rejectUpgradeSync(401);
        }
        String sessionId = context.pathParam("session_id");
        if (sessionId != null) {
            UUID id;
            try {
                id = UUID.fromString(sessionId);
            } catch (IllegalArgumentException e) {
                return CheckResult.rejectUpgradeSync(404);
            }
            boolean owned = QuarkusTransaction.requiringNew().call(() -> sessions.findOwned(id, user).isPresent());
            if (!owned) {
                return CheckResult.rejectUpgradeSync(404);
            }
        }
        context.userData().put(USER, user);
        return CheckResult.permitUpgradeSync();
    }
}
