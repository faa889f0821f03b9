package dev.agentdock.run.stop;

import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.RunConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A deploy without lost work. On SIGTERM the instance stops taking turns (readiness DOWN at once, new turns and
 * resumes answered 503), lets its running turns finish for up to {@code drain-timeout}, stops the rest (each ends
 * {@code interrupted} with its text flushed and its terminal event sent, like any stop), then exits. Queued and
 * paused runs stay in the database, valid, for another instance. The whole stays below Fly's {@code kill_timeout}.
 *
 * <p>SIGTERM is taken over from the JVM (whose default runs the shutdown hooks at once, tearing the HTTP server and
 * the CDI container down under running turns); the shutdown itself is Quarkus's usual one, after the drain.
 */
@ApplicationScoped
public class RunDrain {

    /**
     * Fired (synchronously, on the drain's thread) once the instance's runs have ended and just before it exits: what
     * holds long-lived connections lets them go now, with a word the client can act on, instead of waiting out the
     * shutdown timeout and being cut.
     */
    public record Drained() {
    }

    private final ActiveRuns active;
    private final RunStops stops;
    private final RunConfig config;
    private final Event<Drained> drained;
    private volatile boolean draining;

    RunDrain(ActiveRuns active, RunStops stops, RunConfig config, Event<Drained> drained) {
        this.active = active;
        this.stops = stops;
        this.config = config;
        this.drained = drained;
    }

    void installSignalHandler(@Observes StartupEvent start) {
        if (!config.drainOnSigterm()) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> begin());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Log.warnf("SIGTERM cannot be handled here (%s); a deploy will not drain running turns", e.getMessage());
        }
    }

    /** Whether this instance is shutting down: it takes no new turn. */
    public boolean draining() {
        return draining;
    }

    /** Starts the drain (once); a second SIGTERM during it is ignored, the deadline holds. */
    void begin() {
        if (draining) {
            return;
        }
        draining = true;
        Thread.ofPlatform().name("run-drain").start(this::drain);
    }

    private void drain() {
        long started = System.nanoTime();
        int running = active.ids().size();
        Log.infof("shutting down: readiness DOWN, %d running turn(s) may finish within %s", running, config.drainTimeout());
        awaitNoRuns(started + config.drainTimeout().toNanos());
        List<UUID> left = List.copyOf(active.ids());
        if (!left.isEmpty()) {
            Log.infof("shutting down: stopping %d turn(s) still running", left.size());
            stops.stopAllHere("the instance is shutting down");
            awaitNoRuns(System.nanoTime() + config.drainStopWait().toNanos());
        }
        Log.infof("shutting down: drained in %d ms (%d turn(s) were running, %d stopped, %d still running)",
                (System.nanoTime() - started) / 1_000_000, running, left.size(), active.ids().size());
        try {
            drained.fire(new Drained());
        } catch (RuntimeException e) {
            Log.warnf("shutting down: letting connections go failed (%s); they are cut at exit", e.toString());
        }
        Quarkus.asyncExit(0);
    }

    private void awaitNoRuns(long deadline) {
        while (!active.ids().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    int runningTurns() {
        return active.ids().size();
    }
}

/** Readiness is DOWN from the first moment of a drain, so the load balancer sends nothing new here. */
@Readiness
@ApplicationScoped
class RunDrainHealth implements HealthCheck {

    private final RunDrain drain;

    RunDrainHealth(RunDrain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Run drain").status(!drain.draining())
                .withData("draining", drain.draining()).withData("running_turns", drain.runningTurns()).build();
    }
}
