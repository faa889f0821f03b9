package dev.agentdock.run;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Debug lines of the run and tool packages on, and a default agent that may also use the test tool {@code log_note}. */
public class TelemetryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.log.category.\"dev.agentdock.run\".level", "DEBUG",
                "quarkus.log.category.\"dev.agentdock.tool\".level", "DEBUG",
                "agentdock.run.default-agent.tools", "echo,get_current_time,transfer_funds,slow_lookup,log_note");
    }
}
