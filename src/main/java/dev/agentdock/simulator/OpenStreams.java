package dev.agentdock.simulator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/** Simulated model streams still being written: it shows that a run's upstream call was really cancelled. */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
public class OpenStreams {

    private final AtomicInteger open = new AtomicInteger();

    OpenStreams(MeterRegistry meters) {
        Gauge.builder("agentdock.simulator.streams.open", open, AtomicInteger::get)
                .description("simulated model streams still being written (dev and test builds only)").register(meters);
    }

    public int now() {
        return open.get();
    }

    AtomicInteger counter() {
        return open;
    }
}
