package dev.agentdock.run;

import dev.agentdock.run.events.LiveChannels;
import dev.agentdock.run.events.RunChannel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The runs executing on this instance. */
@ApplicationScoped
public class ActiveRuns implements LiveChannels {

    private final ConcurrentMap<UUID, ActiveRun> runs = new ConcurrentHashMap<>();

    ActiveRuns(MeterRegistry meters) {
        Gauge.builder("agentdock.runs.active", runs, Map::size)
                .description("runs executing on this instance now (paused runs wait in the database, not here)")
                .register(meters);
    }

    public void add(ActiveRun run) {
        runs.put(run.runId(), run);
    }

    /**
     * Forgets {@code run} if it is the one registered under its id. A run resumed after a pause for approval is a new
     * {@link ActiveRun} under the same id, and may be registered before the paused one's thread has let go: that
     * late removal must not drop the resumed run (its followers would miss its channel). Answers whether it did.
     */
    public boolean remove(ActiveRun run) {
        return runs.remove(run.runId(), run);
    }

    public Optional<ActiveRun> find(UUID runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public Optional<RunChannel> channelOf(UUID runId) {
        return find(runId).map(ActiveRun::channel);
    }

    public Collection<UUID> ids() {
        return runs.keySet();
    }
}
