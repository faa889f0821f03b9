package dev.agentdock.run.stop;

import dev.agentdock.common.Ids;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.SessionRepository;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A session of its own with a run row that another instance executes (or executed, until it died). */
final class RunningRows {

    private RunningRows() {
    }

    /** Stores the session and its running run, started and last heartbeated at {@code heartbeat}; returns the run id. */
    static UUID insert(String instanceId, OffsetDateTime heartbeat) {
        UUID session = Ids.newId();
        UUID run = Ids.newId();
        SessionRepository sessions = Arc.container().instance(SessionRepository.class).get();
        RunRepository runs = Arc.container().instance(RunRepository.class).get();
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.create(session, "user-" + session, "assistant");
            AgentRun r = new AgentRun();
            r.id = run;
            r.sessionId = session;
            r.agentName = "assistant";
            r.status = RunStatus.RUNNING;
            r.instanceId = instanceId;
            r.startedAt = heartbeat;
            r.heartbeatAt = heartbeat;
            runs.persist(r);
        });
        return run;
    }
}
