package dev.agentdock.run.stop;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.OutageLog;
import dev.agentdock.common.RedisSubscriptions;
import dev.agentdock.common.RunLogContext;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.RunMetrics;
import dev.agentdock.session.ActiveRunException;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way a run is stopped, and the one way to wait until it has: a user's stop or cancel, a client that hung
 * up (by its stream's {@code on_disconnect} policy), a new message that interrupts or rolls back, a drain at shutdown.
 *
 * <p>A running run stops on its own thread, which checks its {@link ActiveRun}'s stop at every chunk and between
 * steps, and ends with the {@code run_cancelled} event and the {@code interrupted} status. A stop sets that mark at
 * once when the run executes here; it also sets a Redis flag scoped to the run's user and session (a run that
 * starts later, or resumes after an approval, reads it as it begins; a run id one user stopped before it existed
 * never stops another user's run of that id) and, when the run is not here, publishes
 * {@code stop <run> <session> <reason>} on {@link #CONTROL_CHANNEL}, which every instance listens to. A paused or
 * queued run has no thread: it is closed in the database ({@code cancelled}).
 *
 * <p>Whoever ends a run (its own thread, the stale-heartbeat sweep, a cancel of a paused or queued run) calls
 * {@link #ended}, which wakes the waiters of this instance and publishes {@code ended <run> <status>} for those of
 * the others. {@link #stopAndWait} registers its waiter before it stops the run and then reads the run's row once,
 * so a run that ended before the waiter was in place is seen in the row and one that ends later is heard: no
 * polling.
 *
 * <p>Nothing here blocks an event loop: Redis is reached through the reactive client, and the blocking entry points
 * ({@link #stop}, {@link #stopAndWait}, {@link #arm}) are only called from worker or virtual threads. When Redis is
 * unreachable a stop still lands on this instance, and says that it reached no other.
 */
@ApplicationScoped
public class RunStops {

    static final String CONTROL_CHANNEL = "agentdock:control";
    static final Duration FLAG_TTL = Duration.ofHours(1);
    /** How long one Redis step of a stop may take before the stop goes on without it (Redis hung, not down). */
    private static final Duration REDIS_WAIT = Duration.ofSeconds(2);

    /** How far a stop reached: every instance (Redis flag set, message sent) or only this one (Redis unreachable). */
    public enum Reach {
        ALL_INSTANCES, THIS_INSTANCE;

        @JsonValue
        public String wire() {
            return name().toLowerCase();
        }
    }

    /** A stop as it was delivered: whether the run executes here, and what Redis said (null: it took the stop). */
    private record Delivery(boolean here, Throwable redisFailure) {
        Reach reach() {
            return redisFailure == null ? Reach.ALL_INSTANCES : Reach.THIS_INSTANCE;
        }
    }

    private final ActiveRuns active;
    private final ReactiveRedisDataSource redis;
    private final RedisSubscriptions subscriptions;
    private final ConversationStore store;
    private final RunMetrics metrics;
    private final OutageLog outage = new OutageLog("Redis (run stops)");
    /** Waiters of {@link #stopAndWait} by run: a notice completes them with the run's status, or empty ("look again"). */
    private final ConcurrentMap<UUID, Set<CompletableFuture<Optional<RunStatus>>>> waiters = new ConcurrentHashMap<>();

    RunStops(ActiveRuns active, ReactiveRedisDataSource redis, RedisSubscriptions subscriptions, ConversationStore store,
             RunMetrics metrics) {
        this.active = active;
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.store = store;
        this.metrics = metrics;
    }

    void subscribe(@Observes StartupEvent start) {
        // Redis may be down at start, or restart later: the subscription comes back by itself
        subscriptions.open(CONTROL_CHANNEL, this::onControl, this::resubscribed);
    }

    /**
     * Stops the run of {@code sessionId} with that id wherever it executes, or as soon as it starts (a run the
     * client named before it began). Answers how far the stop reached; with Redis unreachable a run executing here
     * still stops ({@link Reach#THIS_INSTANCE}), and one that does not cannot be reached (503).
     */
    public Reach stop(String userId, UUID sessionId, UUID runId, String reason) {
        Delivery d = signal(userId, sessionId, runId, reason).await().indefinitely();
        if (d.redisFailure() != null && !d.here()) {
            throw new DomainException.Unavailable("the stop could not reach the instance running " + runId
                    + ": Redis is unavailable");
        }
        report(sessionId, runId, reason, d);
        return d.reach();
    }

    /** A client's stream ended before its run did: the run stops unless it asked to go on. Never blocks. */
    public void clientGone(ActiveRun run, OnDisconnect policy) {
        if (policy == OnDisconnect.CONTINUE) {
            return; // the run goes on; a re-join (GET /api/runs/{id}/stream) finds it
        }
        String reason = "client disconnected";
        signal(run.userId(), run.sessionId(), run.runId(), reason).subscribe()
                .with(d -> report(run.sessionId(), run.runId(), reason, d));
    }

    /**
     * Closes a paused or queued run (it has no thread to end it), counted like any run that ends; a run that
     * already left that state is left alone.
     */
    public void cancel(AgentRun run, String reason) {
        ConversationStore.RunTotals totals = new ConversationStore.RunTotals(run.inputTokens, run.outputTokens,
                run.stepCount, run.lastSequence, run.assistantMessageId);
        if (store.finishRun(run.id, RunStatus.CANCELLED, reason, totals)) {
            metrics.runEnded(RunStatus.CANCELLED, run.agentName);
            ended(run.id, RunStatus.CANCELLED);
        }
    }

    /**
     * Stops the session's active run ({@code userId}: the session's user) and returns once it has ended, wherever
     * it ran; a paused run is closed at once. After {@code timeout} the run is still active:
     * {@link ActiveRunException} (409).
     */
    public void stopAndWait(AgentRun run, String userId, String reason, Duration timeout) {
        if (!run.status.isActive()) {
            if (run.status == RunStatus.PENDING) {
                cancel(run, reason);
            }
            return;
        }
        if (run.status == RunStatus.PAUSED) {
            cancel(run, reason);
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Optional<RunStatus>> notice = awaitEnd(run.id);
        try {
            stop(userId, run.sessionId, run.id, reason);
            while (true) {
                // after the waiter is in place: an end before it is in the row, an end after it is heard
                AgentRun now = QuarkusTransaction.requiringNew().call(() -> store.findRun(run.id).orElse(null));
                if (now == null || now.status.isFinished()) {
                    return;
                }
                if (now.status == RunStatus.PAUSED) {
                    cancel(now, reason); // it paused for an approval before it saw the stop
                    return;
                }
                try {
                    notice.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    Log.infof("run %s of session %s did not stop within %d ms", run.id, run.sessionId,
                            timeout.toMillis());
                    throw new ActiveRunException(run.sessionId, run.id);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ActiveRunException(run.sessionId, run.id);
                }
                notice = awaitEnd(run.id); // heard an end (or "look again"): the row says which
            }
        } finally {
            forget(run.id, notice);
        }
    }

    /** Stops every run executing here (a shutdown): nothing else needs to know, each run ends itself. */
    void stopAllHere(String reason) {
        for (UUID id : List.copyOf(active.ids())) {
            active.find(id).ifPresent(run -> run.requestStop(reason));
        }
    }

    /**
     * A run just registered here (started, or resumed after an approval) takes a stop that was asked for before it
     * began. Blocking: called on the request's or the run's thread, never on an event loop.
     */
    public void arm(ActiveRun run) {
        String reason;
        try {
            reason = redis.value(String.class).get(flagKey(run.userId(), run.sessionId(), run.runId()))
                    .ifNoItem().after(REDIS_WAIT).fail().await().indefinitely();
            outage.succeeded();
        } catch (RuntimeException e) {
            outage.failed("the stop flag of run " + run.runId() + " is unreadable: " + e.getMessage());
            return;
        }
        if (reason != null) {
            run.requestStop(reason);
        }
    }

    /** A run ended (or paused): its waiters here go on, and those of other instances hear it. */
    public void ended(UUID runId, RunStatus status) {
        wake(runId, Optional.of(status));
        redis.pubsub(String.class).publish(CONTROL_CHANNEL, endedMessage(runId, status))
                .ifNoItem().after(REDIS_WAIT).fail()
                .subscribe().with(ok -> outage.succeeded(),
                        failure -> outage.failed("the end of run " + runId + " was not announced: " + failure.getMessage()));
    }

    /** The local mark at once; the flag (and, for a run elsewhere, the message) on the reactive client. */
    private Uni<Delivery> signal(String userId, UUID sessionId, UUID runId, String reason) {
        boolean here = active.find(runId).filter(r -> r.sessionId().equals(sessionId))
                .map(r -> {
                    r.requestStop(reason);
                    return true;
                }).orElse(false);
        // flagged even when here: the run may pause and be resumed elsewhere before it notices
        Uni<Void> flag = redis.value(String.class).setex(flagKey(userId, sessionId, runId), FLAG_TTL.toSeconds(), reason);
        Uni<Void> sent = here ? flag : flag.chain(() -> redis.pubsub(String.class)
                .publish(CONTROL_CHANNEL, stopMessage(runId, sessionId, reason)));
        return sent.ifNoItem().after(REDIS_WAIT).fail()
                .map(ok -> new Delivery(here, null))
                .onFailure().recoverWithItem(failure -> new Delivery(here, failure));
    }

    private void report(UUID sessionId, UUID runId, String reason, Delivery d) {
        if (d.redisFailure() == null) {
            outage.succeeded();
            return;
        }
        try (RunLogContext ignored = RunLogContext.enter(sessionId, runId)) {
            outage.failed("run " + runId + " stopped (" + reason + ") on this instance only: "
                    + d.redisFailure().getMessage());
        }
    }

    private void onControl(String message) {
        String[] parts = message.split(" ", 4);
        try {
            if (parts.length == 4 && parts[0].equals("stop")) {
                UUID runId = UUID.fromString(parts[1]);
                UUID sessionId = UUID.fromString(parts[2]);
                active.find(runId).filter(r -> r.sessionId().equals(sessionId))
                        .ifPresent(r -> r.requestStop(parts[3]));
            } else if (parts.length == 3 && parts[0].equals("ended")) {
                wake(UUID.fromString(parts[1]), Optional.of(RunStatus.fromWire(parts[2])));
            } else {
                Log.debugf("ignoring control message %s", message);
            }
        } catch (IllegalArgumentException e) {
            Log.debugf("ignoring malformed control message %s", message);
        }
    }

    /**
     * Back on the control channel after Redis was away: stops published meanwhile are still in their flags, and the
     * ends announced meanwhile were missed, so every waiter looks at its run's row again.
     */
    private void resubscribed() {
        for (UUID runId : List.copyOf(waiters.keySet())) {
            wake(runId, Optional.empty());
        }
        for (UUID runId : List.copyOf(active.ids())) {
            active.find(runId).ifPresent(run -> redis.value(String.class).get(flagKey(run.userId(), run.sessionId(), runId))
                    .subscribe().with(reason -> {
                        if (reason != null) {
                            run.requestStop(reason);
                        }
                    }, failure -> outage.failed("the stop flag of run " + runId + " is unreadable: "
                            + failure.getMessage())));
        }
    }

    private CompletableFuture<Optional<RunStatus>> awaitEnd(UUID runId) {
        CompletableFuture<Optional<RunStatus>> notice = new CompletableFuture<>();
        waiters.compute(runId, (id, set) -> {
            Set<CompletableFuture<Optional<RunStatus>>> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(notice);
            return s;
        });
        return notice;
    }

    private void forget(UUID runId, CompletableFuture<Optional<RunStatus>> notice) {
        waiters.computeIfPresent(runId, (id, set) -> {
            set.remove(notice);
            return set.isEmpty() ? null : set;
        });
    }

    private void wake(UUID runId, Optional<RunStatus> notice) {
        Set<CompletableFuture<Optional<RunStatus>>> set = waiters.remove(runId);
        if (set != null) {
            set.forEach(f -> f.complete(notice));
        }
    }

    /**
     * The pending-stop flag of a run id, for one user's session: the user goes in hashed (any length, any
     * character, never spelled out in Redis), so a session id that is taken again by another user does not carry a
     * stop over to that user's run.
     */
    static String flagKey(String userId, UUID sessionId, UUID runId) {
        return "agentdock:run:" + runId + ":stop:" + sessionId + ":" + userHash(userId);
    }

    static String userHash(String userId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(userId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a stop of a run that executes elsewhere publishes; the receiver stops it only if the session matches. */
    static String stopMessage(UUID runId, UUID sessionId, String reason) {
        return "stop " + runId + " " + sessionId + " " + reason;
    }

    static String endedMessage(UUID runId, RunStatus status) {
        return "ended " + runId + " " + status.wire();
    }
}
