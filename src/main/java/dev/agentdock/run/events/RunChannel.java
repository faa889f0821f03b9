package dev.agentdock.run.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The events of one live run on the instance that runs it: numbered in order, kept while the run lives so a late
 * subscriber gets what it missed, and handed to every listener (SSE streams, the cross-instance relay).
 * <p>
 * Ordering holds by construction: numbering, history, dispatch to listeners and a subscriber's catch-up all happen
 * under the channel's one lock, so a new listener gets the backlog and then every later event, and no live event
 * can overtake the backlog. Listeners must not block (they enqueue: SSE buffers, the relay's batch queue).
 */
public final class RunChannel {

    private final UUID runId;
    private final UUID sessionId;
    private final List<RunEvent> history = new ArrayList<>();
    private final List<Consumer<RunEvent>> listeners = new CopyOnWriteArrayList<>();
    private long seq;
    private boolean closed;

    public RunChannel(UUID runId, UUID sessionId) {
        this(runId, sessionId, 0);
    }

    /** A channel that continues a run's numbering (a run resumed after a pause). */
    public RunChannel(UUID runId, UUID sessionId, long lastSeq) {
        this.runId = runId;
        this.sessionId = sessionId;
        this.seq = lastSeq;
    }

    public synchronized long lastSeq() {
        return seq;
    }

    /**
     * Numbers the draft as the run's next event, keeps it and hands it to every listener; answers the event, or
     * null once the run has ended (a terminal event was emitted).
     */
    public <E extends RunEvent> E emit(RunEvent.Draft<E> draft) {
        synchronized (this) {
            if (closed) {
                return null;
            }
            E event = draft.stamped(new RunEvent.Stamp(runId, sessionId, ++seq, Instant.now()));
            history.add(event);
            if (event instanceof RunEvent.Terminal) {
                closed = true;
            }
            for (Consumer<RunEvent> listener : listeners) {
                listener.accept(event);
            }
            return event;
        }
    }

    /**
     * Replays the events after {@code afterSeq} to the listener, then keeps it subscribed, with no gap and no
     * duplicate between the two. Answers false when the run had already ended (the replay was complete).
     */
    public synchronized boolean subscribe(long afterSeq, Consumer<RunEvent> listener) {
        for (RunEvent e : history) {
            if (e.eventSeq() > afterSeq) {
                listener.accept(e);
            }
        }
        if (closed) {
            return false;
        }
        listeners.add(listener);
        return true;
    }

    public void unsubscribe(Consumer<RunEvent> listener) {
        listeners.remove(listener);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public UUID runId() {
        return runId;
    }

    public UUID sessionId() {
        return sessionId;
    }
}
