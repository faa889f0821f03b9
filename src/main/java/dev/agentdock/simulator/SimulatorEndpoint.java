package dev.agentdock.simulator;

import dev.agentdock.common.LocalOpenAiEndpoint;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/**
 * The simulator as seen by the app's own OpenAI clients. The port is the one actually bound (Quarkus' runtime
 * {@link HttpServer} info, which also covers {@code port=0}); configuration is only a fallback before the server is up.
 */
@ApplicationScoped
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
public class SimulatorEndpoint implements LocalOpenAiEndpoint {

    @Inject
    Instance<HttpServer> httpServer;

    @Inject
    Config config;

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    int port() {
        if (httpServer.isResolvable()) {
            int bound = httpServer.get().getPort();
            if (bound > 0) {
                return bound;
            }
        }
        boolean test = LaunchMode.current() == LaunchMode.TEST;
        return config.getOptionalValue(test ? "quarkus.http.test-port" : "quarkus.http.port", Integer.class)
                .filter(p -> p > 0)
                .orElse(test ? 8081 : 8080);
    }
}
