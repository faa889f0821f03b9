package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A call this instance holds the lease of: its sideband, and one virtual thread that handles the call's events in
 * the order they came (storing steps, starting tool calls), so the timeline is the call's order.
 */
final class HeldCall {

    final String callId;
    final UUID sessionId;
    final String userId;
    /** The transcript so far of assistant items being spoken, by item id (for the output guardrail). */
    final Map<String, StringBuilder> speaking = new ConcurrentHashMap<>();
    /** How much of each spoken transcript the output guardrail has judged. */
    final Map<String, Integer> checkedUpTo = new ConcurrentHashMap<>();
    /** Items a guardrail blocked: their steps are stored as tripped. */
    final java.util.Set<String> tripped = ConcurrentHashMap.newKeySet();
    /** The agent the call speaks as, as far as this instance knows (null until {@link CallAgents} first looks). */
    volatile String agent;
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofVirtual()
            .name("voice-call-", 0).factory());
    private volatile Sideband sideband;
    private volatile boolean released;
    /**
     * Until when ({@link System#nanoTime()}) this instance may act on the call: the moment it last asked Redis for
     * the lease (taken or renewed), plus the lease's TTL, less a margin. Redis counts the TTL from when it answered,
     * later than we asked, so past this instant the lease may have expired and another instance may hold the call.
     */
    private volatile long leaseValidUntil;

    HeldCall(String callId, UUID sessionId, String userId) {
        this.callId = callId;
        this.sessionId = sessionId;
        this.userId = userId;
    }

    void connected(Sideband sideband) {
        this.sideband = sideband;
    }

    void leaseConfirmed(long askedAt, long validForNanos) {
        leaseValidUntil = askedAt + validForNanos;
    }

    /** Whether the lease may have run out by {@code now}: no renewal was confirmed in time (Redis slow or away). */
    boolean leaseLapsed(long now) {
        return now - leaseValidUntil > 0;
    }

    void enqueue(JsonNode event, java.util.function.BiConsumer<HeldCall, JsonNode> handler) {
        if (!released) {
            events.execute(() -> {
                if (!released && !leaseLapsed(System.nanoTime())) {
                    handler.accept(this, event);
                }
            });
        }
    }

    /** Sends a client event on the call; false when this instance no longer holds it. */
    boolean send(Object event) {
        Sideband s = sideband;
        if (released || s == null || leaseLapsed(System.nanoTime())) {
            return false;
        }
        s.send(event);
        return true;
    }

    boolean released() {
        return released;
    }

    /**
     * Stops acting on the call here: the socket is closed and queued events are dropped. The event being handled
     * finishes (an interrupt would break its JDBC connection mid-statement).
     */
    void release() {
        released = true;
        Sideband s = sideband;
        if (s != null) {
            s.close();
        }
        events.shutdown();
    }
}
