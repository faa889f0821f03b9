package dev.agentdock.scenario;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test-only: when {@code agentdock.test.exit-after-start} is set, an application that did start exits with 0 at
 * once, so {@link BadScenarioBootTest} fails fast instead of waiting forever if bad scenarios were ever accepted.
 */
@ApplicationScoped
class ExitAfterStart {

    void started(@Observes @Priority(Integer.MAX_VALUE - 1) StartupEvent event,
                 @ConfigProperty(name = "agentdock.test.exit-after-start", defaultValue = "false") boolean exit) {
        if (exit) {
            Quarkus.asyncExit(0);
        }
    }
}
