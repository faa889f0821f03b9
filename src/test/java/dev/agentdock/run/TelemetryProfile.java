package dev.agentdock.run;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Tracing on (spans go to the in-memory exporter of common/InMemorySpans, nowhere else), debug lines of the run
 * and tool packages on, and a default agent that may also use the test tool {@code log_note}.
 */
public class TelemetryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.bsp.schedule.delay", "20ms",
                "quarkus.log.category.\"dev.agentdock.run\".level", "DEBUG",
                "quarkus.log.category.\"dev.agentdock.tool\".level", "DEBUG",
                "agentdock.run.default-agent.tools", "echo,get_current_time,transfer_funds,slow_lookup,log_note");
    }
}
