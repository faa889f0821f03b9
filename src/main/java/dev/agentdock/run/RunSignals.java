package dev.agentdock.run;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import dev.agentdock.common.RedisSubscriptions;
import java.util.List;
import dev.agentdock.common.RunLogContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;

/**
 * Stop requests that reach the run wherever it executes. A stop sets a Redis flag (so a run that starts later, or
 * an instance that missed the message, still sees it) and publishes a control message; every instance holds one
 * subscription to the control channel and stops the run if it is its own. A flag is scoped to the session it was
 * asked for: a run id that somebody stopped before it existed stops only a run of that same session, so nobody can
 * pre-stop an id another user picks later.
 */
@ApplicationScoped
public class RunSignals {

    static final String CONTROL_CHANNEL = "agentdock:control";
    private static final Duration FLAG_TTL = Duration.ofHours(1);

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final ActiveRuns active;
    private final RedisSubscriptions subscriptions;

    RunSignals(RedisDataSource redis, ReactiveRedisDataSource reactive, ActiveRuns active,
               RedisSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
        this.redis = redis;
        this.reactive = reactive;
        this.active = active;
    }

    void subscribe(@Observes StartupEvent start) {
        // Redis may be down at start, or restart later: the subscription comes back by itself
        subscriptions.open(CONTROL_CHANNEL, this::onControl, this::resubscribed);
    }

    /** Stops published while this instance was not listening are still in their flags. */
    private void resubscribed() {
        List<UUID> mine = List.copyOf(active.ids());
        if (mine.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("stop-catch-up").start(() -> {
            for (UUID runId : mine) {
                UUID sessionId = active.find(runId).map(ActiveRun::sessionId).orElse(null);
                String reason = sessionId == null ? null : pendingStop(sessionId, runId);
                if (reason != null) {
                    active.stopLocal(runId, reason);
                }
            }
        });
    }

    /** Asks the run to stop, on whichever instance runs it (or will run it). */
    public void requestStop(UUID sessionId, UUID runId, String reason) {
        boolean local = active.stopLocal(runId, reason);
        try {
            // flagged even when local: the run may be resumed elsewhere (approval) before it notices
            redis.value(String.class).setex(flagKey(sessionId, runId), FLAG_TTL.toSeconds(), reason);
            if (!local) {
                redis.pubsub(String.class).publish(CONTROL_CHANNEL, "stop " + runId + " " + reason);
            }
        } catch (RuntimeException e) {
            if (!local) {
                throw new dev.agentdock.common.DomainException.Unavailable(
                        "the stop could not reach the instance running " + runId + ": Redis is unavailable");
            }
            Log.warnf("run %s stopped locally; its Redis stop flag could not be set: %s", runId, e.getMessage());
        }
    }

    /**
     * As {@link #requestStop}, for callers on an event loop (an SSE stream's termination when the client hung up):
     * the local run stops at once, and the flag and control message go out on the reactive client, never blocking.
     */
    public void requestStopAsync(UUID sessionId, UUID runId, String reason) {
        boolean local = active.stopLocal(runId, reason);
        // flagged even when local: the run may be resumed elsewhere (approval) before it notices
        Uni<Void> flag = reactive.value(String.class).setex(flagKey(sessionId, runId), FLAG_TTL.toSeconds(), reason);
        Uni<Void> sent = local ? flag
                : flag.chain(() -> reactive.pubsub(String.class).publish(CONTROL_CHANNEL, "stop " + runId + " " + reason));
        sent.subscribe().with(ok -> { }, failure -> {
            try (RunLogContext ignored = RunLogContext.enter(null, runId)) {
                Log.warnf("run %s: the stop (%s) could not reach Redis%s: %s", runId, reason,
                        local ? "; it stopped here" : "", failure.getMessage());
            }
        });
    }

    /** Whether a stop was requested for this run before this instance started watching it (null if unknown). */
    public String pendingStop(UUID sessionId, UUID runId) {
        try {
            return redis.value(String.class).get(flagKey(sessionId, runId));
        } catch (RuntimeException e) {
            Log.warnf("run %s: cannot read its stop flag, Redis unavailable: %s", runId, e.getMessage());
            return null;
        }
    }

    private void onControl(String message) {
        String[] parts = message.split(" ", 3);
        if (parts.length >= 2 && parts[0].equals("stop")) {
            try {
                active.stopLocal(UUID.fromString(parts[1]), parts.length == 3 ? parts[2] : "stopped");
            } catch (IllegalArgumentException e) {
                Log.debugf("ignoring malformed control message %s", message);
            }
        }
    }

    static String flagKey(UUID sessionId, UUID runId) {
        return "agentdock:run:" + runId + ":stop:" + sessionId;
    }
}
