package dev.agentdock.run;

import dev.agentdock.common.InstanceIdentity;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.session.RunRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Keeps the runs table honest across instances: refreshes the heartbeat of the runs this instance executes, and
 * marks as interrupted the running runs whose instance stopped beating (one atomic UPDATE, so two sweeping
 * instances never both claim a run). A swept session's queued run then starts here.
 */
@ApplicationScoped
public class RunKeeper {

    private final RunRepository runs;
    private final ActiveRuns active;
    private final InstanceIdentity instance;
    private final RunConfig config;
    private final TurnEngine engine;
    private final dev.agentdock.session.ConversationSql sql;
    private final RunMetrics metrics;

    RunKeeper(dev.agentdock.session.ConversationSql sql, RunRepository runs, ActiveRuns active, InstanceIdentity instance,
              RunConfig config, TurnEngine engine, RunMetrics metrics) {
        this.metrics = metrics;
        this.runs = runs;
        this.active = active;
        this.instance = instance;
        this.config = config;
        this.engine = engine;
        this.sql = sql;
    }

    @Scheduled(every = "${agentdock.run.heartbeat-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        List<UUID> mine = List.copyOf(active.ids());
        if (!mine.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> runs.touchHeartbeats(mine, instance.id()));
        }
    }

    @Scheduled(every = "${agentdock.run.sweep-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        sweepStale();
    }

    /** Interrupts stale runs now; answers the ids it claimed. */
    public List<UUID> sweepStale() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.staleAfter());
        List<UUID[]> claimed = sql.interruptStale(cutoff);
        metrics.runsSwept(claimed.size());
        for (UUID[] row : claimed) {
            try (RunLogContext ignored = RunLogContext.enter(row[1], row[0])) {
                Log.warnf("run %s of session %s: heartbeat stale, marked interrupted", row[0], row[1]);
            }
            engine.startNextPending(row[1]);
        }
        return claimed.stream().map(r -> r[0]).toList();
    }
}
