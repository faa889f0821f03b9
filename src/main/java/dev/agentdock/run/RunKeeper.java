package dev.agentdock.run;

import dev.agentdock.common.InstanceIdentity;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.session.ConversationSql;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final ConversationSql sql;
    private final RunMetrics metrics;
    private final RunEventRelay relay;
    private final RunStops stops;
    private final dev.agentdock.common.OutageLog database = new dev.agentdock.common.OutageLog("PostgreSQL (run heartbeat and sweep)");
    private final dev.agentdock.orchestration.SessionEventBus sessionBus;

    RunKeeper(RunEventRelay relay, RunStops stops, dev.agentdock.orchestration.SessionEventBus sessionBus,
              dev.agentdock.session.ConversationSql sql, RunRepository runs, ActiveRuns active, InstanceIdentity instance,
              RunConfig config, TurnEngine engine, RunMetrics metrics) {
        this.metrics = metrics;
        this.relay = relay;
        this.stops = stops;
        this.sessionBus = sessionBus;
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
            try {
                QuarkusTransaction.requiringNew().run(() -> runs.touchHeartbeats(mine, instance.id()));
                database.succeeded();
            } catch (RuntimeException e) {
                database.failed("heartbeat of " + mine.size() + " run(s) not written: " + e.getMessage());
            }
        }
    }

    @Scheduled(every = "${agentdock.run.sweep-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            sweepStale();
            startOrphanedPending();
            database.succeeded();
        } catch (RuntimeException e) {
            database.failed("no sweep: " + e.getMessage());
        }
    }

    /** Queued runs left by an instance that shut down (or lost its database) as their session's run ended. */
    void startOrphanedPending() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.heartbeatInterval());
        for (UUID session : sql.sessionsWithOrphanedPending(cutoff)) {
            engine.startNextPending(session);
        }
    }

    /** Interrupts stale runs now; answers the ids it claimed. */
    public List<UUID> sweepStale() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.staleAfter());
        List<ConversationSql.StaleRun> claimed = sql.interruptStale(cutoff);
        metrics.runsSwept(claimed.size());
        for (ConversationSql.StaleRun run : claimed) {
            try (RunLogContext ignored = RunLogContext.enter(run.sessionId(), run.runId())) {
                Log.warnf("run %s of session %s: heartbeat stale, marked interrupted", run.runId(), run.sessionId());
                announce(run);
                stops.ended(run.runId(), RunStatus.INTERRUPTED);
            }
            engine.startNextPending(run.sessionId());
        }
        return claimed.stream().map(ConversationSql.StaleRun::runId).toList();
    }

    /**
     * Tells the swept run's followers (its relay) and its session's sockets that it ended, as a run that ends itself
     * does: one terminal event, numbered after the last one its instance relayed.
     */
    private void announce(ConversationSql.StaleRun run) {
        long lastSeq;
        try {
            lastSeq = relay.lastSeq(run.runId());
        } catch (RuntimeException e) {
            Log.warnf("run %s: its relay is unreadable (%s); its end reaches sockets only", run.runId(), e.getMessage());
            lastSeq = -1;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", RunStatus.INTERRUPTED.wire());
        fields.put("last_sequence", run.lastSequence());
        fields.put("reason", run.reason());
        fields.put("swept", true);
        RunEvent end = new RunEvent(RunEventType.RUN_CANCELLED, run.runId(), run.sessionId(), Math.max(lastSeq, 0) + 1,
                Instant.now(), fields);
        if (lastSeq >= 0) {
            relay.relayFor(run.runId()).accept(end);
        }
        dev.agentdock.orchestration.RunEventsToSessions.forwarder(sessionBus, run.userId()).accept(end);
    }
}
