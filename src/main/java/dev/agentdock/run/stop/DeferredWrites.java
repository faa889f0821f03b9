package dev.agentdock.run.stop;

import dev.agentdock.common.RunLogContext;
import dev.agentdock.common.StorageFailures;
import dev.agentdock.run.RunConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The last writes of runs whose database went away (the cut-short step, the run's end), retried in order until
 * the database answers again or {@code finish-retry-for} has passed. Their run is already off this instance's
 * heartbeat, so a run whose retries give up is found stale and swept by any instance once the database is back.
 */
@ApplicationScoped
public class DeferredWrites {

    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 2_000;

    private final RunConfig config;
    private final AtomicInteger pending = new AtomicInteger();
    /** Retries wait on this between attempts; {@link #wake()} cuts their wait short. */
    private final Object backoff = new Object();

    DeferredWrites(RunConfig config) {
        this.config = config;
    }

    /**
     * Runs the writes in order now; when the database is out of reach, the rest are retried on a thread of their
     * own. Answers whether all were written now. A write failing for another reason is logged and dropped.
     */
    public boolean write(UUID sessionId, UUID runId, List<Runnable> writes) {
        Deque<Runnable> left = new ArrayDeque<>(writes);
        if (drain(sessionId, runId, left)) {
            return true;
        }
        pending.incrementAndGet();
        Thread.ofVirtual().name("deferred-" + runId).start(() -> retry(sessionId, runId, left));
        return false;
    }

    /** Runs with writes still waiting for the database. */
    int pending() {
        return pending.get();
    }

    /**
     * The database answered again (the run keeper's sweep got through): every waiting retry tries now rather than at
     * the end of its backoff, so the ends are stored before another instance could take the runs for stale.
     */
    public void wake() {
        synchronized (backoff) {
            backoff.notifyAll();
        }
    }

    private void retry(UUID sessionId, UUID runId, Deque<Runnable> left) {
        try (RunLogContext ignored = RunLogContext.enter(sessionId, runId)) {
            long deadline = System.nanoTime() + config.finishRetryFor().toNanos();
            long wait = FIRST_BACKOFF_MS;
            while (System.nanoTime() < deadline) {
                try {
                    synchronized (backoff) {
                        backoff.wait(wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (drain(sessionId, runId, left)) {
                    Log.infof("run %s of session %s: its end is stored now that the database is back", runId, sessionId);
                    return;
                }
                wait = Math.min(wait * 2, MAX_BACKOFF_MS);
            }
            Log.warnf("run %s of session %s: database still unreachable after %s; the sweep will close the run",
                    runId, sessionId, config.finishRetryFor());
        } finally {
            pending.decrementAndGet();
        }
    }

    /** Writes from the head of the queue; false when the database is (still) unreachable. */
    private static boolean drain(UUID sessionId, UUID runId, Deque<Runnable> left) {
        while (!left.isEmpty()) {
            try {
                left.peekFirst().run();
            } catch (RuntimeException e) {
                if (StorageFailures.isUnavailable(e)) {
                    return false;
                }
                Log.errorf(e, "run %s of session %s: a final write failed and is dropped", runId, sessionId);
            }
            left.pollFirst();
        }
        return true;
    }
}
