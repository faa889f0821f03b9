package dev.agentdock.session;

import dev.agentdock.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How much one session may store: at most {@code agentdock.sessions.max-steps} steps (checked when a turn or a
 * write starts, so a turn that starts below the cap may finish a few steps above it), and at most
 * {@code agentdock.sessions.max-items-per-request} items in one realtime-items request.
 */
@ApplicationScoped
public class StepQuota {

    private final int maxSteps;
    private final int maxItemsPerRequest;

    StepQuota(@ConfigProperty(name = "agentdock.sessions.max-steps", defaultValue = "10000") int maxSteps,
              @ConfigProperty(name = "agentdock.sessions.max-items-per-request", defaultValue = "500") int maxItemsPerRequest) {
        this.maxSteps = maxSteps;
        this.maxItemsPerRequest = maxItemsPerRequest;
    }

    public int maxSteps() {
        return maxSteps;
    }

    /** Refuses a write that would take a session holding {@code stored} steps past the cap. */
    public void admit(int stored, int adding) {
        if (stored + adding > maxSteps) {
            throw full(stored);
        }
    }

    /** Refuses one request carrying more items than one request may. */
    public void admitItems(int items) {
        if (items > maxItemsPerRequest) {
            throw new DomainException.TooLarge("too-many-items", "one request may carry at most "
                    + maxItemsPerRequest + " items; this one has " + items + " (send them in several requests)");
        }
    }

    public DomainException.QuotaExceeded full(int stored) {
        return new DomainException.QuotaExceeded("session-full", "the session holds " + stored
                + " steps and may hold at most " + maxSteps + "; start a new session or delete steps");
    }
}
