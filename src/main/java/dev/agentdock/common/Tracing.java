package dev.agentdock.common;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's own spans (runs, model calls, tool calls). When the SDK is disabled — the default, see
 * {@link TracingSwitch} — every method here is a constant-time no-op, so the turn's hot path pays nothing.
 */
@ApplicationScoped
public class Tracing {

    private final Tracer tracer;
    private final boolean enabled;

    Tracing(Tracer tracer, @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean disabled) {
        this.tracer = tracer;
        this.enabled = !disabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** A builder for a new span; call only when {@link #enabled()}. */
    public SpanBuilder span(String name) {
        return tracer.spanBuilder(name);
    }

    /** The context a span started now would be a child of; the root context when tracing is off. */
    public Context current() {
        return enabled ? Context.current() : Context.root();
    }

    public Scope makeCurrent(Span span) {
        return enabled ? span.makeCurrent() : Scope.noop();
    }

    /** The task, run in this thread's tracing context wherever it runs. */
    public <T> Callable<T> inCurrentContext(Callable<T> task) {
        return enabled ? Context.current().wrap(task) : task;
    }
}
