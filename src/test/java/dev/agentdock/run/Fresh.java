package dev.agentdock.run;

import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRepository;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads for assertions, each in a new transaction: what the database holds now, never a cached entity. */
public final class Fresh {

    private Fresh() {
    }

    public static AgentRun run(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> Arc.container().instance(RunRepository.class).get().findById(runId));
    }

    public static AgentRun run(String runId) {
        return run(UUID.fromString(runId));
    }

    public static Optional<Step> step(UUID sessionId, int sequence) {
        return QuarkusTransaction.requiringNew().call(() ->
                Arc.container().instance(StepRepository.class).get().findBySequence(sessionId, sequence));
    }

    public static List<Step> steps(UUID sessionId) {
        return QuarkusTransaction.requiringNew().call(() ->
                Arc.container().instance(StepRepository.class).get().findBySession(sessionId, null, null));
    }
}
