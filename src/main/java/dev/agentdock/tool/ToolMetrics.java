package dev.agentdock.tool;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code agentdock_tool_duration_seconds{tool, outcome}}: one timer per registered tool and outcome, created on
 * first use and cached. A name the registry does not know (a model may call anything) counts as {@code unknown}.
 */
@ApplicationScoped
public class ToolMetrics {

    enum Outcome {
        OK, ERROR, TIMEOUT;

        final String tag = name().toLowerCase();
    }

    static final String UNKNOWN_TOOL = "unknown";

    private final MeterRegistry registry;
    private final ToolRegistry tools;
    private final ConcurrentMap<String, Timer[]> timers = new ConcurrentHashMap<>();

    ToolMetrics(MeterRegistry registry, ToolRegistry tools) {
        this.registry = registry;
        this.tools = tools;
    }

    void record(String toolName, Outcome outcome, long nanos) {
        Timer[] byOutcome = toolName == null ? null : timers.get(toolName);
        if (byOutcome == null) {
            String tool = toolName != null && tools.has(toolName) ? toolName : UNKNOWN_TOOL;
            byOutcome = timers.computeIfAbsent(tool, this::create);
        }
        byOutcome[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer[] create(String tool) {
        Timer[] byOutcome = new Timer[Outcome.values().length];
        for (Outcome outcome : Outcome.values()) {
            byOutcome[outcome.ordinal()] = Timer.builder("agentdock.tool.duration")
                    .description("tool calls, from lookup to result, by tool and outcome")
                    .tags("tool", tool, "outcome", outcome.tag)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
        }
        return byOutcome;
    }
}
