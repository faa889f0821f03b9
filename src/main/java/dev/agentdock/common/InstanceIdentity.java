package dev.agentdock.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Who this instance is among its peers: the owner recorded on runs, the sender of cross-instance messages. */
@ApplicationScoped
public class InstanceIdentity {

    private final String id;

    InstanceIdentity(@ConfigProperty(name = "agentdock.instance-id") Optional<String> configured) {
        // Two instances on one host share a hostname, so an unconfigured id gets a random suffix.
        this.id = configured.filter(s -> !s.isBlank())
                .orElseGet(() -> hostname() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }

    private static String hostname() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "local" : host;
    }
}
