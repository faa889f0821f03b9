package dev.agentdock.orchestration;

import dev.agentdock.auth.Authenticator;
import dev.agentdock.auth.Caller;
import dev.agentdock.common.DomainException;
import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Authorises a socket at the HTTP upgrade, not per message: the caller must authenticate, and only the owner of a
 * session may follow it. The HTTP gate lets the two socket routes through unauthenticated (auth/ApiAuthMechanism)
 * so that this check, not a bare 401, answers them. A refused socket is still upgraded, but only to be closed at once with a code and reason a
 * page can read ({@link SocketRefusal}): a browser sees nothing of a refused handshake but close code 1006.
 */
@ApplicationScoped
public class SocketUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> USER = UserData.TypedKey.forString("agentdock.user");
    /** When the caller's token expires (epoch milliseconds); absent for a credential that does not expire. */
    static final UserData.TypedKey<Long> EXPIRES_AT = UserData.TypedKey.forLong("agentdock.expires-at");
    static final UserData.TypedKey<Integer> REFUSED_CODE = UserData.TypedKey.forInt("agentdock.refused.code");
    static final UserData.TypedKey<String> REFUSED_REASON = UserData.TypedKey.forString("agentdock.refused.reason");

    private final Authenticator authenticator;
    private final SessionRepository sessions;

    SocketUpgradeCheck(Authenticator authenticator, SessionRepository sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    /**
     * Decides on a worker thread (it may read PostgreSQL) and answers on the request's own event loop: the upgrade
     * then completes and the connection's handlers are in place in one task of that loop, so a frame the client
     * sends right after the 101 is read by them. Completed on the worker thread, the upgrade raced the first frame,
     * which a loaded machine lost now and then (a first ping never answered).
     */
    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        Context requestContext = Vertx.currentContext();
        Uni<CheckResult> decided = Uni.createFrom().item(() -> decide(context))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return requestContext == null ? decided : decided.emitOn(task -> requestContext.runOnContext(ignored -> task.run()));
    }

    private CheckResult decide(HttpUpgradeContext context) {
        Caller caller;
        try {
            caller = authenticator.authenticate(context.httpRequest());
        } catch (DomainException.Unauthorized e) {
            return refuse(context, SocketRefusal.UNAUTHORIZED, e.getMessage());
        }
        String user = caller.userId();
        String sessionId = context.pathParam("session_id");
        if (sessionId != null) {
            UUID id;
            try {
                id = UUID.fromString(sessionId);
            } catch (IllegalArgumentException e) {
                return refuse(context, SocketRefusal.NOT_FOUND, "session '" + sessionId + "' was not found");
            }
            boolean owned = QuarkusTransaction.requiringNew().call(() -> sessions.findOwned(id, user).isPresent());
            if (!owned) {
                return refuse(context, SocketRefusal.NOT_FOUND, "session '" + sessionId + "' was not found");
            }
        }
        context.userData().put(USER, user);
        if (caller.expiresAt() != null) {
            context.userData().put(EXPIRES_AT, caller.expiresAt().toEpochMilli());
        }
        return CheckResult.permitUpgradeSync();
    }

    /** Lets the upgrade through marked as refused; {@link SocketSessions} closes it before anything else happens. */
    private static CheckResult refuse(HttpUpgradeContext context, SocketRefusal refusal, String detail) {
        context.userData().put(REFUSED_CODE, refusal.code());
        context.userData().put(REFUSED_REASON, refusal.reason(detail));
        return CheckResult.permitUpgradeSync();
    }
}
