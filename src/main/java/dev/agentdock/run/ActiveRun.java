package dev.agentdock.run;

import dev.agentdock.run.events.RunChannel;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A run executing on this instance: its events, whether somebody asked it to stop, and how it ended. The stop mark
 * (set through {@link dev.agentdock.run.stop.RunStops}) is read by the run's own thread at every chunk;
 * {@link #waker} nudges that thread when no chunk is coming.
 */
public final class ActiveRun {

    private final UUID runId;
    private final UUID sessionId;
    private final String userId;
    private final RunChannel channel;
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    private volatile String stopReason;
    private volatile Runnable waker = () -> { };

    public ActiveRun(UUID runId, UUID sessionId, String userId) {
        this(runId, sessionId, userId, 0);
    }

    public ActiveRun(UUID runId, UUID sessionId, String userId, long lastEventSeq) {
        this.runId = runId;
        this.sessionId = sessionId;
        this.userId = userId;
        this.channel = new RunChannel(runId, sessionId, lastEventSeq);
    }

    /** Only {@link dev.agentdock.run.stop.RunStops} asks a run to stop: the first reason stays. */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        waker.run();
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    public void onWake(Runnable wake) {
        this.waker = wake;
    }

    public UUID runId() {
        return runId;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public String userId() {
        return userId;
    }

    public RunChannel channel() {
        return channel;
    }

    public CompletableFuture<RunOutcome> outcome() {
        return outcome;
    }
}
