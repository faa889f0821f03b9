package dev.agentdock.common;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service's entry point (quarkus-run.jar and the native image start here). It turns off the check Quarkus runs on
 * every request target before any route sees it, which answers a bare 400 with no body: {@link HttpGuards} checks the
 * target itself and answers a malformed one with a problem document. Quarkus reads the property once, when its HTTP
 * server starts, so it is set before {@link Quarkus#run}; tests, which do not start here, set it in the pom.
 */
@QuarkusMain
public final class Main {

    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    private Main() {
    }

    public static void main(String... args) {
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        Quarkus.run(args);
    }
}
