package dev.agentdock.run;

import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.UUID;

/**
 * Reads of what the API does not show, for in-process tests only, each in a new transaction: what the database holds
 * now, never a cached entity. Tests that also run against the jar read through {@link Stored} instead.
 */
public final class Fresh {

    private Fresh() {
    }

    public static AgentRun run(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> Arc.container().instance(RunRepository.class).get().findById(runId));
    }

    /** A session's steps in sequence order. */
    public static java.util.List<dev.agentdock.session.Step> steps(UUID sessionId) {
        return QuarkusTransaction.requiringNew().call(() -> Arc.container()
                .instance(dev.agentdock.session.StepRepository.class).get().findBySession(sessionId, null, null));
    }
}
