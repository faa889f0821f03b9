package dev.agentdock.orchestration;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only upgrade check, ordered after {@link SocketUpgradeCheck}: the chain calls it on the thread that emitted
 * the previous check's answer, and the upgrade itself then runs on that same thread. It records, per user whose id
 * starts with {@link #PREFIX}, whether that thread was the request's own event loop (the only place where the
 * upgrade and the connection's handlers are installed before the client's first frame can be read). It permits
 * every upgrade, so it changes nothing for other tests.
 */
@ApplicationScoped
@Priority(Integer.MIN_VALUE)
public class UpgradeThreadProbe implements HttpUpgradeCheck {

    static final String PREFIX = "upgrade-thread-";

    /** User id → where the check chain answered, or "no user" when this probe ran before SocketUpgradeCheck decided. */
    static final Map<String, String> ANSWERED_ON = new ConcurrentHashMap<>();

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String user = context.userData().get(SocketUpgradeCheck.USER);
        String header = context.httpRequest().getHeader(PROBE_HEADER);
        if (header != null && header.startsWith(PREFIX)) {
            ContextInternal requestContext = (ContextInternal) ((HttpServerRequestInternal) context.httpRequest()).context();
            String where = requestContext.nettyEventLoop().inEventLoop() ? "request's event loop"
                    : "thread " + Thread.currentThread().getName();
            ANSWERED_ON.put(header, user == null ? "no user (probe ran first)" : where);
        }
        return CheckResult.permitUpgrade();
    }

    /** The probe keys its record by this header, so it needs no knowledge of the auth mode. */
    static final String PROBE_HEADER = "X-Upgrade-Probe";
}
