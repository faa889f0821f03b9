package dev.agentdock.run.stop;

import dev.agentdock.common.InstanceIdentity;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.RunConfig;
import dev.agentdock.run.events.RunEnd;
import dev.agentdock.run.events.RunEvent;
import dev.agentdock.run.events.RunEventCodec;
import dev.agentdock.run.events.RunEventRelay;
import dev.agentdock.run.RunMetrics;
import dev.agentdock.run.SessionFreed;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import java.time.Instant;
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
    private final jakarta.enterprise.event.Event<SessionFreed> freed;
    private final RunMetrics metrics;
    private final RunEventRelay relay;
    private final RunEventCodec codec;
    private final RunStops stops;
    private final dev.agentdock.common.OutageLog database = new dev.agentdock.common.OutageLog("PostgreSQL (run heartbeat and sweep)");
    private final dev.agentdock.orchestration.SessionEventBus sessionBus;
    private final DeferredWrites deferred;
    /** When a sweep last got through, and whether the last one did not (then PostgreSQL was out of reach). */
    private volatile Instant lastSweepOk = Instant.now();
    private volatile boolean sweepFailed;
    /** The last outage this instance saw: from its last sweep before it to the first one after it. */
    private volatile Instant outageFrom;
    private volatile Instant outageTo;

    RunKeeper(RunEventRelay relay, RunStops stops, dev.agentdock.orchestration.SessionEventBus sessionBus,
              RunRepository runs, ActiveRuns active, InstanceIdentity instance,
              RunConfig config, jakarta.enterprise.event.Event<SessionFreed> freed, RunMetrics metrics,
              RunEventCodec codec, DeferredWrites deferred) {
        this.codec = codec;
        this.deferred = deferred;
        this.metrics = metrics;
        this.relay = relay;
        this.stops = stops;
        this.sessionBus = sessionBus;
        this.runs = runs;
        this.active = active;
        this.instance = instance;
        this.config = config;
        this.freed = freed;
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

    @Scheduled(every = "${agentdock.run.sweep-interval:10s}", delayed = "${agentdock.run.sweep-delay:0s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant now = Instant.now();
        try {
            runs.ping();
            if (sweepFailed) {
                // back after an outage: the ends that could not be written are retried now, before anything else
                outageFrom = lastSweepOk;
                outageTo = now;
                sweepFailed = false;
                deferred.wake();
            }
            sweepStale();
            startOrphanedPending();
            lastSweepOk = now;
            database.succeeded();
        } catch (RuntimeException e) {
            sweepFailed = true;
            database.failed("no sweep: " + e.getMessage());
        }
    }

    /**
     * The heartbeat older than which a running run is stale. No instance could beat while PostgreSQL was down, so for
     * {@code stale-after} after an outage this instance saw, the outage's length is not counted against a run:
     * sweeping at once would take the live runs of every instance (and the runs whose end their instance is still
     * retrying) for lost.
     */
    static Instant staleCutoff(Instant now, java.time.Duration staleAfter, Instant outageFrom, Instant outageTo) {
        Instant cutoff = now.minus(staleAfter);
        if (outageFrom != null && outageTo != null && now.isBefore(outageTo.plus(staleAfter))) {
            cutoff = cutoff.minus(java.time.Duration.between(outageFrom, outageTo));
        }
        return cutoff;
    }

    /** Queued runs left by an instance that shut down (or lost its database) as their session's run ended. */
    void startOrphanedPending() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.heartbeatInterval());
        for (UUID session : runs.sessionsWithOrphanedPending(cutoff)) {
            freed.fire(new SessionFreed(session));
        }
    }

    /** Interrupts stale runs now; answers the ids it claimed. */
    public List<UUID> sweepStale() {
        OffsetDateTime cutoff = staleCutoff(Instant.now(), config.staleAfter(), outageFrom, outageTo).atOffset(ZoneOffset.UTC);
        List<RunRepository.StaleRun> claimed = runs.interruptStale(cutoff);
        metrics.runsSwept(claimed.size());
        for (RunRepository.StaleRun run : claimed) {
            try (RunLogContext ignored = RunLogContext.enter(run.sessionId(), run.runId())) {
                Log.warnf("run %s of session %s: heartbeat stale, marked interrupted", run.runId(), run.sessionId());
                announce(run);
                stops.ended(run.runId(), RunStatus.INTERRUPTED);
            }
            freed.fire(new SessionFreed(run.sessionId()));
        }
        return claimed.stream().map(RunRepository.StaleRun::runId).toList();
    }

    /**
     * Tells the swept run's followers (its relay) and its session's sockets that it ended, as a run that ends itself
     * does: one terminal event, numbered after the last one its instance relayed.
     */
    private void announce(RunRepository.StaleRun run) {
        long lastSeq;
        try {
            lastSeq = relay.lastSeq(run.runId());
        } catch (RuntimeException e) {
            Log.warnf("run %s: its relay is unreadable (%s); its end reaches sockets only", run.runId(), e.getMessage());
            lastSeq = -1;
        }
        RunEvent end = RunEnd.of(RunStatus.INTERRUPTED, run.lastSequence(), null, null, run.reason()).sweptEnd()
                .stamped(new RunEvent.Stamp(run.runId(), run.sessionId(), Math.max(lastSeq, 0) + 1, Instant.now()));
        if (lastSeq >= 0) {
            relay.relayFor(run.runId()).accept(end);
        }
        dev.agentdock.orchestration.RunEventsToSessions.forwarder(sessionBus, codec, run.userId()).accept(end);
    }
}
