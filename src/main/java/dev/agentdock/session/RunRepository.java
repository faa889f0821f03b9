package dev.agentdock.session;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<AgentRun, UUID> {

    static final String ONE_ACTIVE_INDEX = "ai_agent_runs_one_active_idx";

    public Optional<AgentRun> findActiveRunBySession(UUID sessionId) {
        return find("sessionId = ?1 and status in ?2", sessionId, List.of(RunStatus.RUNNING, RunStatus.PAUSED))
                .firstResultOptional();
    }

    public List<AgentRun> listBySession(UUID sessionId) {
        return find("sessionId = ?1 order by startedAt", sessionId).list();
    }

    /** Refreshes the heartbeat of the given runs if this instance still owns them: one statement for all. */
    public int touchHeartbeats(Collection<UUID> runIds, String instanceId) {
        if (runIds.isEmpty()) {
            return 0;
        }
        return update("heartbeatAt = ?1 where id in ?2 and instanceId = ?3 and status = ?4",
                now(), runIds, instanceId, RunStatus.RUNNING);
    }


    public static boolean isActiveRunConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(ONE_ACTIVE_INDEX)) {
                return true;
            }
        }
        return false;
    }

    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
