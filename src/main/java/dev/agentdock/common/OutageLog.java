package dev.agentdock.common;

import io.quarkus.logging.Log;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a dependency outage as an operator wants to read it: one WARN when it starts, then at most one per
 * {@link #EVERY_MS} while it lasts (with how many failures were not logged), one INFO when it is over.
 */
public final class OutageLog {

    private static final long EVERY_MS = 30_000;

    private final String what;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong lastLogged = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();

    public OutageLog(String what) {
        this.what = what;
    }

    public void failed(String detail) {
        long now = System.currentTimeMillis();
        if (down.compareAndSet(false, true)) {
            lastLogged.set(now);
            unlogged.set(0);
            Log.warnf("%s unavailable: %s", what, detail);
            return;
        }
        long last = lastLogged.get();
        if (now - last >= EVERY_MS && lastLogged.compareAndSet(last, now)) {
            Log.warnf("%s still unavailable (%d more failures): %s", what, unlogged.getAndSet(0), detail);
        } else {
            unlogged.incrementAndGet();
        }
    }

    public void succeeded() {
        if (down.compareAndSet(true, false)) {
            Log.infof("%s available again", what);
        }
    }
}
