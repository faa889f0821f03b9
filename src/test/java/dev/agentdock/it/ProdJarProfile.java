package dev.agentdock.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The packaged jar in the prod profile, configured the way a deployment is: bearer tokens checked against an
 * HS256 secret, a service key for trusted backends, CORS for the Dock's origin. The rest repeats the test
 * profile's knobs the suites rely on (the default agent's tools, short stream timeouts).
 */
public class ProdJarProfile implements QuarkusTestProfile {

    public static final String SECRET = "integration-test-hs256-secret-more-than-32-bytes";
    public static final String ISSUER = "https://project.supabase.test/auth/v1";
    /**
     * The jar's management interface (/q/metrics): a free port picked once per test JVM, since the launcher only
     * reads back the HTTP port, and 9000 may be taken by another jar on this machine.
     */
    public static final int MANAGEMENT_PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("agentdock.auth.mode", "jwt"),
                Map.entry("quarkus.management.port", String.valueOf(MANAGEMENT_PORT)),
                Map.entry("agentdock.auth.jwt.secret", SECRET),
                Map.entry("agentdock.auth.jwt.issuer", ISSUER),
                Map.entry("agentdock.auth.service-key", "test-service-key"),
                Map.entry("agentdock.rate-limit.enabled", "false"),
                Map.entry("quarkus.http.cors.origins", "http://localhost:5173"),
                Map.entry("agentdock.run.stream-idle-timeout", "2s"),
                Map.entry("agentdock.run.rate-limit-backoff", "20ms"),
                Map.entry("agentdock.run.sweep-interval", "1h"),
                // the test-only tools (transfer_funds, slow_lookup) are not in the jar
                Map.entry("agentdock.run.default-agent.tools", "echo,get_current_time"),
                Map.entry("agentdock.guard.pii.extra-patterns.employee_id", "EMP-\\d{6}"),
                Map.entry("agentdock.responses.connect-timeout", "1s"),
                Map.entry("agentdock.responses.first-byte-timeout", "1500ms"),
                Map.entry("agentdock.responses.stream-idle-timeout", "1s"));
    }

    /**
     * The jar configured as here, with {@code suiteOverrides} (an in-process suite's own profile: its secret, its
     * limits) on top, for a suite whose checks depend on that profile.
     */
    public static Map<String, String> under(Map<String, String> suiteOverrides) {
        Map<String, String> config = new java.util.HashMap<>(new ProdJarProfile().getConfigOverrides());
        config.putAll(suiteOverrides);
        return config;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
