package dev.agentdock.orchestration;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness names the push channel: DOWN while events cannot cross instances. */
@Readiness
@ApplicationScoped
public class OrchestrationChannelHealth implements HealthCheck {

    private final SessionEventBus bus;
    private final SocketRegistry sockets;

    OrchestrationChannelHealth(SessionEventBus bus, SocketRegistry sockets) {
        this.bus = bus;
        this.sockets = sockets;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Orchestration channel")
                .status(!bus.degraded())
                .withData("degraded", bus.degraded())
                .withData("open_sockets", sockets.openSockets())
                .build();
    }
}
