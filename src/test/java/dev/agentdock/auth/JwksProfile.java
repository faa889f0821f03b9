package dev.agentdock.auth;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

/** jwt mode with asymmetric keys only: the JWKS comes from a small HTTP server the test starts on a free port. */
public class JwksProfile implements QuarkusTestProfile {

    static final String KEY_ID = "test-key-1";
    /** The signing key travels to the test as a system property: the resource and the test may not share classes. */
    private static final String PRIVATE_JWK_PROPERTY = "agentdock.test.jwks.private-jwk";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("agentdock.auth.mode", "jwt");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(JwksServer.class));
    }

    static PrivateKey signingKey() {
        try {
            return ((RsaJsonWebKey) JsonWebKey.Factory.newJwk(System.getProperty(PRIVATE_JWK_PROPERTY))).getRsaPrivateKey();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class JwksServer implements QuarkusTestResourceLifecycleManager {

        private Vertx vertx;

        @Override
        public Map<String, String> start() {
            try {
                RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
                key.setKeyId(KEY_ID);
                key.setAlgorithm("RS256");
                String jwks = new JsonWebKeySet(key).toJson(); // public parts only
                System.setProperty(PRIVATE_JWK_PROPERTY, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
                vertx = Vertx.vertx();
                HttpServer server = vertx.createHttpServer()
                        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(jwks))
                        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                return Map.of("agentdock.auth.jwt.jwks-url",
                        "http://127.0.0.1:" + server.actualPort() + "/auth/v1/.well-known/jwks.json");
            } catch (Exception e) {
                throw new IllegalStateException("could not start the JWKS server", e);
            }
        }

        @Override
        public void stop() {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }
}
