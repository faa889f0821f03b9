package dev.agentdock.sweep;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The app as deployed with a real OpenAI key (and JWT auth with a service key), except that "OpenAI" is its own simulator: the key is configured
 * (so every OpenAI client sends it, as in production), the base URL is the simulator on this instance's port (fixed
 * here, since the URL must name it before the app starts), and the app, its HTTP client and its OpenAI clients log
 * at DEBUG. The simulator accepts any bearer key.
 */
public class ServerKeyProfile implements QuarkusTestProfile {

    /** Fixed: the profile and the test live in different class loaders, so a random key would differ between them. */
    static final String KEY_CORE = "SECRET-7c41e0b95a2f4d18";
    static final String SERVER_KEY = "sk-test-" + KEY_CORE;

    /** The other secrets of a deployment, which must not leave the server either. */
    static final String JWT_SECRET = "jwt-secret-9d2f61c04b8e47a3a5e1-of-more-than-32-bytes";
    static final String JWT_ISSUER = "https://project.supabase.test/auth/v1";
    static final String SERVICE_KEY = "service-key-4e7b02d9c1f84a6e";

    private static final int PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.test-port", Integer.toString(PORT));
        config.put("agentdock.openai.base-url", "http://127.0.0.1:" + PORT + "/v1");
        config.put("agentdock.openai.api-key", SERVER_KEY);
        // as deployed: callers present tokens (which must not leak either), trusted backends a service key
        config.put("agentdock.auth.mode", "jwt");
        config.put("agentdock.auth.jwt.secret", JWT_SECRET);
        config.put("agentdock.auth.jwt.issuer", JWT_ISSUER);
        config.put("agentdock.auth.service-key", SERVICE_KEY);
        config.put("agentdock.rate-limit.enabled", "false");
        // applied migrations of branches ahead of this one are tolerated: the local test database is shared
        config.put("quarkus.flyway.ignore-migration-patterns", "*:missing,*:future");
        for (String category : new String[] {"dev.agentdock", "io.vertx.core.http", "io.vertx.ext.web",
                "io.quarkus.vertx.http", "org.jboss.resteasy.reactive", "dev.langchain4j",
                "io.quarkus.websockets.next"}) {
            config.put("quarkus.log.category.\"" + category + "\".level", "DEBUG");
        }
        // DEBUG records reach the test's log handler; the console keeps its usual INFO
        config.put("quarkus.log.console.level", "INFO");
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
