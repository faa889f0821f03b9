package dev.agentdock.run;

import dev.agentdock.agent.AgentDirectory;
import dev.agentdock.session.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The turn engine's meters at {@code /q/metrics}: runs by outcome, and per model call its time to first token,
 * its duration and its tokens. Meters are created once per tag combination and cached, so recording on the hot
 * path is a map lookup and an add. Tags stay low-cardinality: an agent the service does not know (an SDK
 * session's own) counts as {@code custom}, and past {@value #MAX_MODELS} distinct model names the rest count as
 * {@code other} (callers may name any model).
 */
@ApplicationScoped
public class RunMetrics {

    static final int MAX_MODELS = 32;
    static final String CUSTOM_AGENT = "custom";
    static final String OTHER_MODEL = "other";

    private final MeterRegistry registry;
    private final AgentDirectory agents;
    private final Map<RunStatus, ConcurrentMap<String, Counter>> runs = new EnumMap<>(RunStatus.class);
    private final ConcurrentMap<String, ConcurrentMap<String, ModelMeters>> models = new ConcurrentHashMap<>();
    private final Set<String> admittedModels = new HashSet<>();
    private final Counter swept;

    RunMetrics(MeterRegistry registry, AgentDirectory agents) {
        this.registry = registry;
        this.agents = agents;
        for (RunStatus status : RunStatus.values()) {
            runs.put(status, new ConcurrentHashMap<>());
        }
        this.swept = Counter.builder("agentdock.runs.swept")
                .description("runs of other (or crashed) instances this instance marked interrupted: stale heartbeat")
                .register(registry);
    }

    /** A run ended (or paused) with this status. */
    public void runEnded(RunStatus status, String agentName) {
        String agent = agentName != null && agents.find(agentName).isPresent() ? agentName : CUSTOM_AGENT;
        runs.get(status).computeIfAbsent(agent, a -> Counter.builder("agentdock.runs")
                .description("runs that ended or paused, by status and agent")
                .tag("status", status.wire()).tag("agent", a)
                .register(registry)).increment();
    }

    public void runsSwept(int count) {
        swept.increment(count);
    }

    /** How a model call (one HTTP stream) ended. */
    public enum ModelCallEnd { COMPLETED, FAILED, CANCELLED }

    /** One model call ended: its time to the first token (null: none came), its length, and the tokens it counted. */
    public void modelCall(String provider, String model, ModelCallEnd end, Double firstTokenMs, double durationMs,
                          dev.langchain4j.model.output.TokenUsage usage) {
        ModelMeters meters = meters(provider, model == null ? OTHER_MODEL : model);
        if (firstTokenMs != null) {
            meters.firstToken.record(nanos(firstTokenMs), TimeUnit.NANOSECONDS);
        }
        Timer length = switch (end) {
            case COMPLETED -> meters.completed;
            case FAILED -> meters.failed;
            case CANCELLED -> meters.cancelled;
        };
        length.record(nanos(durationMs), TimeUnit.NANOSECONDS);
        if (usage != null && usage.inputTokenCount() != null) {
            meters.inputTokens.increment(usage.inputTokenCount());
        }
        if (usage != null && usage.outputTokenCount() != null) {
            meters.outputTokens.increment(usage.outputTokenCount());
        }
    }

    private ModelMeters meters(String provider, String model) {
        ConcurrentMap<String, ModelMeters> byModel = models.get(provider);
        ModelMeters meters = byModel == null ? null : byModel.get(model);
        return meters != null ? meters : create(provider, model);
    }

    /** The slow path, once per provider and model (and on every call of a model past the limit). */
    private synchronized ModelMeters create(String provider, String model) {
        ConcurrentMap<String, ModelMeters> byModel = models.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
        String tag = admittedModels.contains(model) || admittedModels.size() < MAX_MODELS && admittedModels.add(model)
                ? model : OTHER_MODEL;
        return byModel.computeIfAbsent(tag, m -> new ModelMeters(registry, provider, m));
    }

    private static long nanos(double millis) {
        return (long) (millis * 1_000_000);
    }

    private static final class ModelMeters {
        final Timer firstToken;
        final Timer completed;
        final Timer failed;
        final Timer cancelled;
        final Counter inputTokens;
        final Counter outputTokens;

        ModelMeters(MeterRegistry registry, String provider, String model) {
            this.firstToken = Timer.builder("agentdock.model.ttft")
                    .description("time from sending a model request to its first streamed token or tool-call delta")
                    .tags("model", model, "provider", provider)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
            this.completed = duration(registry, provider, model, "ok");
            this.failed = duration(registry, provider, model, "error");
            this.cancelled = duration(registry, provider, model, "cancelled");
            this.inputTokens = tokens(registry, model, "input");
            this.outputTokens = tokens(registry, model, "output");
        }

        private static Timer duration(MeterRegistry registry, String provider, String model, String outcome) {
            return Timer.builder("agentdock.model.duration")
                    .description("model calls, request to end of stream")
                    .tags("model", model, "provider", provider, "outcome", outcome)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(180))
                    .register(registry);
        }

        private static Counter tokens(MeterRegistry registry, String model, String kind) {
            return Counter.builder("agentdock.tokens")
                    .description("tokens the model reported, by kind (input = prompt, output = completion)")
                    .tags("kind", kind, "model", model)
                    .register(registry);
        }
    }
}
